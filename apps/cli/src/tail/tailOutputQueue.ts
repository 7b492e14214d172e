import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { createSqsClient } from '@tally/aws-clients';
import type { CommandRunOf } from '@tally/command-line';
import { statusLineOn, writeText } from '@tally/command-line';
import { missingTargets, resolveTargets } from '../targets/resolveTargets';
import { targetSourceOf, terraformOutputs } from '../targets/targetSourceOf';
import { tailLineOf } from './tailLineOf';
import { TAIL_EXIT } from './tailCommand';
import type { tailSpec } from './tailCommand';

/**
 * How long the messages read stay hidden from other consumers. Long enough for a large queue
 * to be read to its end (a message seen again would end the read early), short enough that a
 * killed tail gives them back soon. At the end they are made visible at once.
 */
const HOLD_SECONDS = 300;

/** SQS's most per receive and per batch request. */
const BATCH = 10;

/** Runs `send` on the entries in groups of ten, SQS's batch size. */
const inGroups = async <T>(entries: readonly T[], send: (group: T[]) => Promise<unknown>) => {
  for (let start = 0; start < entries.length; start += BATCH)
    await send(entries.slice(start, start + BATCH));
};

const deleteMessages = (sqs: SQSClient, queueUrl: string, receipts: readonly string[]) =>
  inGroups(receipts, (group) =>
    sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: group.map((receipt, index) => ({ Id: String(index), ReceiptHandle: receipt })),
      }),
    ),
  );

const releaseMessages = (sqs: SQSClient, queueUrl: string, receipts: readonly string[]) =>
  inGroups(receipts, (group) =>
    sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: group.map((receipt, index) => ({
          Id: String(index),
          ReceiptHandle: receipt,
          VisibilityTimeout: 0,
        })),
      }),
    ),
  );

/**
 * `tally tail`: receives from the output queue until it gives nothing new, prints each message
 * (of `--batch` only, if given) as one JSON line, then deletes what it printed (`--ack`) and
 * makes everything else it read visible again.
 *
 * @example
 * process.exitCode = await tailOutputQueue({ options, args: {}, io });
 */
export const tailOutputQueue = async ({
  options,
  io,
}: CommandRunOf<typeof tailSpec>): Promise<number> => {
  const resolved = resolveTargets(
    targetSourceOf(options, io.env),
    { outputQueueUrl: options['output-queue-url'] },
    {
      env: io.env,
      terraformOutputs,
      readFile: (path) => readFileSync(resolve(io.cwd, path), 'utf8'),
    },
  );
  if (!resolved.success) throw new Error(resolved.error);
  const missing = missingTargets(resolved.data, ['output']);
  if (missing !== undefined) throw new Error(missing);
  const queueUrl = resolved.data.queueUrls.output as string;
  const sqs = createSqsClient({ clientOverrides: resolved.data.clientOverrides });

  const seen = new Set<string>();
  const printed: string[] = [];
  const held: string[] = [];
  const drained = statusLineOn(io.stderr);
  const limit = options.max ?? Infinity;
  try {
    while (printed.length < limit) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: BATCH,
          // A short long-poll: SQS then asks every server, so an empty answer means empty.
          WaitTimeSeconds: 1,
          VisibilityTimeout: HOLD_SECONDS,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['SentTimestamp'],
        }),
      );
      const fresh = Messages.filter((message) => !seen.has(message.MessageId ?? ''));
      if (fresh.length === 0) {
        held.push(...Messages.map((message) => message.ReceiptHandle ?? ''));
        break;
      }
      const lines: string[] = [];
      for (const message of Messages) {
        const receipt = message.ReceiptHandle ?? '';
        const isNew = !seen.has(message.MessageId ?? '');
        seen.add(message.MessageId ?? '');
        const wanted =
          options.batch === undefined ||
          message.MessageAttributes?.['batch_id']?.StringValue === options.batch;
        if (isNew && wanted && printed.length < limit) {
          lines.push(`${tailLineOf(message)}\n`);
          printed.push(receipt);
        } else held.push(receipt);
      }
      drained.show(`${seen.size} message(s) read, ${printed.length} printed`);
      await writeText(io.stdout, lines.join(''));
    }
  } finally {
    drained.clear();
    if (options.ack) await deleteMessages(sqs, queueUrl, printed);
    await releaseMessages(sqs, queueUrl, options.ack ? held : [...printed, ...held]);
    sqs.destroy();
  }
  const of = options.batch === undefined ? '' : ` of batch ${JSON.stringify(options.batch)}`;
  io.stderr.write(
    `[tail] ${printed.length} message(s)${of} printed, ${seen.size} read from ${queueUrl}; ${options.ack ? 'printed ones deleted' : 'all left on the queue'}\n`,
  );
  return TAIL_EXIT.read;
};
