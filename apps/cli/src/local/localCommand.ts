import { defineCommand, executeCommand } from '@tally/command-line';
import type { TallyCommand } from '../TallyCommand';
import type * as Implementation from './serveLocalStack';

/** Exit codes of `tally local`. */
export const LOCAL_EXIT = { stopped: 0, failed: 1 } as const;

export const localSpec = defineCommand({
  name: 'tally local',
  summary:
    'Starts the local stack (emulators, notification proxy, both Lambdas) and keeps it running\nuntil Ctrl-C.',
  details: [
    'stderr gets its endpoints, bucket, table and queue URLs, with AWS CLI and SDK examples (any',
    'credentials work); uploads through its S3 endpoint raise the events AWS sends. While it',
    'runs, `tally status --local`, `tally tail --local` and `tally replay --local` find it',
    'through a record file: $TALLY_LOCAL_STATE, else tally-local-<user>.json in the temporary',
    'folder.',
  ].join('\n'),
  positionals: [],
  options: {
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
      description:
        'print the record (pid, endpoints, resource names) as JSON on stdout once it is up;\n`--local <file>` accepts it',
    },
  },
  exitCodes: [
    [LOCAL_EXIT.stopped, 'stopped by Ctrl-C (SIGINT) or SIGTERM'],
    [LOCAL_EXIT.failed, 'the stack failed to start or to stop'],
  ],
});

/** `tally local`: today's `npm run local`. */
export const localCommand: TallyCommand = {
  spec: localSpec,
  brief: 'start the local stack and keep it running',
  run: (argv, io) =>
    executeCommand(localSpec, argv, io, (run) =>
      // Loaded on use: the local stack and the AWS SDK take a second to load.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./serveLocalStack') as typeof Implementation).serveLocalStack(run),
    ),
};
