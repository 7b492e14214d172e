import { defineCommand, executeCommand } from '@tally/command-line';
import { TARGET_DETAILS, TARGET_OPTIONS } from '../targets/targetOptions';
import type { TallyCommand } from '../TallyCommand';
import type * as Implementation from './tailOutputQueue';

/** Exit codes of `tally tail`. */
export const TAIL_EXIT = { read: 0, failed: 1 } as const;

export const tailSpec = defineCommand({
  name: 'tally tail',
  summary:
    'Prints the messages waiting on the output queue, one JSON object per line, and leaves them\nthere unless --ack.',
  details: [
    'stdout gets {"messageId", "sentAt", "attributes": {batch_id, message_type, message_id},',
    '"body"} per message, the body as sent; stderr how many were read (a running count when it',
    'is a terminal). It reads until the queue gives nothing new. Without --ack the messages it',
    'read are hidden from other consumers while it reads, then made visible again; each read',
    'counts as a receive, and the output queue moves a message to its DLQ after 10.',
    '',
    TARGET_DETAILS,
  ].join('\n'),
  positionals: [],
  options: {
    batch: {
      type: 'string',
      valueName: 'id',
      description: 'print and --ack only this batch’s messages (the others are read too)',
    },
    ...TARGET_OPTIONS,
    'output-queue-url': { type: 'string', valueName: 'url', description: 'the output queue' },
    ack: { type: 'boolean', description: 'delete the messages printed, as a consumer would' },
    max: {
      type: 'number',
      valueName: 'n',
      min: 1,
      description: 'stop after this many messages (default: all)',
    },
  },
  exclusive: [['local', 'env']],
  exitCodes: [
    [TAIL_EXIT.read, 'read (none is fine)'],
    [TAIL_EXIT.failed, 'the queue could not be read'],
  ],
});

/** `tally tail`: what a consumer of the output queue would get. */
export const tailCommand: TallyCommand = {
  spec: tailSpec,
  brief: 'print the output queue as JSON lines (deletes only with --ack)',
  run: (argv, io) =>
    executeCommand(tailSpec, argv, io, (run) =>
      // Loaded on use: the AWS SDK takes a second to load.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./tailOutputQueue') as typeof Implementation).tailOutputQueue(run),
    ),
};
