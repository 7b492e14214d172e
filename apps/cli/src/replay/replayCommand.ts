import { defineCommand, executeCommand } from '@tally/command-line';
import { TARGET_DETAILS, TARGET_OPTIONS } from '../targets/targetOptions';
import type { TallyCommand } from '../TallyCommand';
import type * as Implementation from './replayBatch';

/** Exit codes of `tally replay`. */
export const REPLAY_EXIT = { replayed: 0, failed: 1, incomplete: 2 } as const;

export const replaySpec = defineCommand({
  name: 'tally replay',
  summary:
    'Aggregates a batch again from its staged rows: its latest revision if that was never\nfinished, or with --force a new revision of its current files. By default it sends the\nbatch_ready message to the aggregation queue, so the deployed aggregator runs it.',
  details: [
    'stdout gets the outcome in a sentence (with --json, as one JSON object); stderr says which',
    'table and queue it used.',
    '',
    TARGET_DETAILS,
  ].join('\n'),
  positionals: [],
  options: {
    batch: { type: 'string', valueName: 'id', description: 'the batch to replay', required: true },
    ...TARGET_OPTIONS,
    direct: {
      type: 'boolean',
      description:
        'aggregate in this process and send to the output queue, instead of asking the\ndeployed aggregator',
    },
    force: {
      type: 'boolean',
      description:
        'aggregate the current files again as a new revision, even if the latest one was\naggregated already',
    },
    table: { type: 'string', valueName: 'name', description: 'the staging table' },
    'aggregation-queue-url': {
      type: 'string',
      valueName: 'url',
      description: 'the aggregation queue',
    },
    'output-queue-url': {
      type: 'string',
      valueName: 'url',
      description: 'the output queue, for --direct',
    },
    json: { type: 'boolean', description: 'print the outcome as one JSON object' },
  },
  exclusive: [['local', 'env']],
  exitCodes: [
    [REPLAY_EXIT.replayed, 'replayed (queued, or aggregated with --direct)'],
    [
      REPLAY_EXIT.failed,
      'not replayed: already aggregated without --force, another aggregation running,\nmissing settings, an error',
    ],
    [REPLAY_EXIT.incomplete, 'the batch is unknown or incomplete'],
  ],
});

/** `tally replay --batch <id>`: today's `npm run replay`. */
export const replayCommand: TallyCommand = {
  spec: replaySpec,
  brief: 'aggregate a staged batch again',
  run: (argv, io) =>
    executeCommand(replaySpec, argv, io, (run) =>
      // Loaded on use: the AWS SDK takes a second to load.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./replayBatch') as typeof Implementation).replayBatch(run),
    ),
};
