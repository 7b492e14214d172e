import { defineCommand, executeCommand } from '@tally/command-line';
import type { TallyCommand } from '../TallyCommand';
import type * as Implementation from './runBatchFolder';

/** Exit codes of `tally run`. */
export const RUN_EXIT = { aggregated: 0, failed: 1, incomplete: 2 } as const;

export const runSpec = defineCommand({
  name: 'tally run',
  summary:
    'Runs a batch folder through the local stack: uploads its *.csv files at once as one batch,\nwaits until the pipeline is idle, and prints every output message.',
  details: [
    "stdout gets the output queue's messages, one JSON object per line, exactly as sent, and",
    "nothing else; stderr gets progress, the functions' logs and the AWS requests they made.",
    'The stack runs on emulators inside this process and stops at the end; `tally local` keeps',
    'one running instead.',
  ].join('\n'),
  positionals: [
    {
      name: 'folder',
      description: 'the batch folder (default: the sample batch, apps/cli/sample)',
      required: false,
    },
  ],
  options: {
    'batch-id': {
      type: 'string',
      valueName: 'id',
      description: "the batch id (default: the folder's name); spaces and any Unicode work",
    },
    concurrency: {
      type: 'number',
      valueName: 'n',
      min: 1,
      description: 'invocations per function at once (default: one per core, up to its maximum)',
    },
    'no-build': {
      type: 'boolean',
      description: 'run the Lambda bundles in dist/ as they are (default: build them first)',
    },
    json: {
      type: 'boolean',
      description: 'end stdout with one summary line, {"type":"run_summary", …}',
    },
  },
  exitCodes: [
    [RUN_EXIT.aggregated, 'the batch was aggregated'],
    [RUN_EXIT.failed, 'the pipeline failed: a message in a DLQ, or an error'],
    [RUN_EXIT.incomplete, 'the batch could not complete (a file missing or rejected as a whole)'],
  ],
});

/** `tally run [<folder>]`: today's `npm start`. */
export const runCommand: TallyCommand = {
  spec: runSpec,
  brief: 'run a batch folder through the local stack; print the output messages',
  run: (argv, io) =>
    executeCommand(runSpec, argv, io, (run) =>
      // Loaded on use: the local stack and the AWS SDK take a second to load.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./runBatchFolder') as typeof Implementation).runBatchFolder(run),
    ),
};
