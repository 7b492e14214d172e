import { defineCommand, executeCommand } from '@tally/command-line';
import { TARGET_DETAILS, TARGET_OPTIONS } from '../targets/targetOptions';
import type { TallyCommand } from '../TallyCommand';
import type * as Implementation from './showBatchStatus';

/** Exit codes of `tally status`. */
export const STATUS_EXIT = { shown: 0, failed: 1, unknown: 2 } as const;

export const statusSpec = defineCommand({
  name: 'tally status',
  summary:
    'Shows what the pipeline holds for one batch: its files and their versions, the revision,\nthe aggregation lease and its progress, whether it was aggregated, the staged row counts,\nthe messages sent, and the depth of each DLQ.',
  details: ['stdout gets the status (with --json, as one JSON object).', '', TARGET_DETAILS].join(
    '\n',
  ),
  positionals: [
    {
      name: 'batch',
      description: 'the batch id (its folder name under the input prefix)',
      required: true,
    },
  ],
  options: {
    ...TARGET_OPTIONS,
    table: { type: 'string', valueName: 'name', description: 'the staging table' },
    json: { type: 'boolean', description: 'print the status as one JSON object' },
  },
  exclusive: [['local', 'env']],
  exitCodes: [
    [STATUS_EXIT.shown, 'shown'],
    [STATUS_EXIT.failed, 'the table or the queues could not be read'],
    [STATUS_EXIT.unknown, 'nothing is stored for this batch (never staged, or expired)'],
  ],
});

/** `tally status <batch>`. */
export const statusCommand: TallyCommand = {
  spec: statusSpec,
  brief: 'show where one batch stands: files, revision, progress, DLQs',
  run: (argv, io) =>
    executeCommand(statusSpec, argv, io, (run) =>
      // Loaded on use: the AWS SDK takes a second to load.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./showBatchStatus') as typeof Implementation).showBatchStatus(run),
    ),
};
