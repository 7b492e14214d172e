import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { DynamoStagingStore } from '@tally/aws-clients';
import { BATCH_MANIFEST_FILE } from '@tally/domain';
import type { CommandIo, CommandRunOf } from '@tally/command-line';
import { statusLineOn, writeText } from '@tally/command-line';
import { startLocalStack } from '@tally/local-stack';
import type { LocalStack } from '@tally/local-stack';
import { readBatchDescription } from '../status/readBatchDescription';
import { WORKSPACE_ROOT } from '../workspaceRoot';
import { RUN_EXIT } from './runCommand';
import type { runSpec } from './runCommand';

/** The batch `tally run` runs when given no folder. */
export const SAMPLE_FOLDER = join(WORKSPACE_ROOT, 'apps', 'cli', 'sample');

const MEGABYTE = 1e6;

/** How often the status line shows the pipeline at work. */
const WORKING_INTERVAL_MS = 1_000;

/**
 * Waits until the pipeline is idle; meanwhile, on a terminal, shows what it does: the
 * invocations so far and the output messages waiting, with the rate they arrive at.
 */
const whenIdleShowingWork = async (stack: LocalStack, stderr: CommandIo['stderr']) => {
  const idle = stack.whenIdle();
  if (!stderr.isTTY) return idle;
  const line = statusLineOn(stderr, { intervalMs: 0 });
  const started = performance.now();
  const outputQueueUrl = stack.resources.queues.output.url;
  let waiting = 0;
  try {
    for (;;) {
      const done = await Promise.race([
        idle.then(() => true),
        sleep(WORKING_INTERVAL_MS, false, { ref: false }),
      ]);
      if (done) break;
      // Only a progress figure: a failed read keeps the last one rather than fail the run.
      const { Attributes } = await stack.clients.sqs
        .send(
          new GetQueueAttributesCommand({
            QueueUrl: outputQueueUrl,
            AttributeNames: ['ApproximateNumberOfMessages'],
          }),
        )
        .catch(() => ({ Attributes: undefined }));
      waiting = Number(Attributes?.ApproximateNumberOfMessages ?? waiting);
      const elapsed = (performance.now() - started) / 1000;
      const { ingest, aggregator } = stack.functionMetrics();
      line.show(
        `working ${elapsed.toFixed(0)} s: ${ingest.invocations} ingest and ${aggregator.invocations} aggregator invocations; ${waiting} output messages (${(waiting / elapsed).toFixed(0)}/s)`,
      );
    }
  } finally {
    line.clear();
  }
  return idle;
};

/**
 * One line per message, exactly as sent: bodies are single-line JSON, and re-serialising them
 * through JSON.parse would round big amounts through binary floats.
 */
const asLine = (body: string): string => body.replace(/\r?\n/g, ' ');

/**
 * `tally run`: starts the local stack, uploads the folder's `*.csv` files at once as one batch
 * (after its `_manifest.json`, if it has one, so every part is known to be a part when it
 * arrives), waits until the pipeline is idle, prints the output messages on stdout, then says on stderr
 * what the functions asked of AWS and whether the batch was aggregated.
 *
 * @example
 * process.exitCode = await runBatchFolder({ options, args: { folder: 'sample' }, io });
 */
export const runBatchFolder = async ({
  options,
  args,
  io,
}: CommandRunOf<typeof runSpec>): Promise<number> => {
  const progress = (line: string) => io.stderr.write(`[run] ${line}\n`);
  const folder = args.folder === undefined ? SAMPLE_FOLDER : resolve(io.cwd, args.folder);
  const batchId = options['batch-id'] ?? basename(folder);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch (error) {
    throw new Error(`cannot read the batch folder ${folder}`, { cause: error });
  }
  const files = names.filter((name) => name.endsWith('.csv')).sort();
  if (files.length === 0) throw new Error(`no *.csv file in ${folder}`);
  const manifest = existsSync(join(folder, BATCH_MANIFEST_FILE)) ? [BATCH_MANIFEST_FILE] : [];
  const totalBytes = [...manifest, ...files].reduce(
    (sum, name) => sum + statSync(join(folder, name)).size,
    0,
  );

  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  let stack: LocalStack | undefined;
  try {
    // Always build unless told not to: Nx's cache makes it ~1 s when nothing changed, and a
    // stale bundle would run yesterday's code.
    stack = await startLocalStack({
      build: !options['no-build'],
      ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
    });
    progress(
      `stack up in ${seconds().toFixed(1)} s; uploading ${[...manifest, ...files].join(', ')} as batch ${JSON.stringify(batchId)}`,
    );
    const uploading = statusLineOn(io.stderr);
    let uploaded = 0;
    for (const group of [manifest, files]) {
      const before = uploaded;
      await stack.upload(
        batchId,
        group.map((name) => ({ name, path: join(folder, name) })),
        (sent) => {
          uploaded = before + sent;
          uploading.show(
            `uploaded ${(uploaded / MEGABYTE).toFixed(1)} of ${(totalBytes / MEGABYTE).toFixed(1)} MB`,
          );
        },
      );
    }
    uploading.clear();
    await whenIdleShowingWork(stack, io.stderr);
    const messages = await stack.readOutputMessages();
    progress(`pipeline idle after ${seconds().toFixed(1)} s; ${messages.length} output message(s)`);
    await writeText(io.stdout, messages.map((body) => `${asLine(body)}\n`).join(''));

    const usage = stack.usage();
    const calls = Object.entries(usage.requests)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([operation, count]) => `${operation} ${count}`)
      .join(', ');
    progress(`AWS requests of the functions: ${calls}`);
    progress(
      `DynamoDB capacity: ${usage.dynamodbWriteUnits} write units, ${usage.dynamodbReadUnits} read units`,
    );
    const dlqMessages = await stack.dlqMessageCounts();
    const inDlq = Object.entries(dlqMessages).filter(([, count]) => count > 0);
    const store = new DynamoStagingStore({
      client: DynamoDBDocumentClient.from(stack.clients.dynamodb),
      tableName: stack.resources.table.name,
    });
    const view =
      inDlq.length > 0 ? undefined : await readBatchDescription(store, batchId, Date.now());
    const outcome =
      inDlq.length > 0 ? 'failed' : view?.phase === 'aggregated' ? 'aggregated' : 'incomplete';
    if (outcome === 'failed')
      progress(
        `pipeline failed: messages in DLQs: ${inDlq.map(([queue, count]) => `${queue}-dlq ${count}`).join(', ')}`,
      );
    else progress(`batch ${JSON.stringify(batchId)}: ${view?.phase ?? 'unknown'}`);
    if (options.json)
      await writeText(
        io.stdout,
        `${JSON.stringify({
          type: 'run_summary',
          batchId,
          outcome,
          outputMessages: messages.length,
          dlqMessages,
          requests: usage.requests,
          dynamodbWriteUnits: usage.dynamodbWriteUnits,
          dynamodbReadUnits: usage.dynamodbReadUnits,
          seconds: Number(seconds().toFixed(1)),
        })}\n`,
      );
    return RUN_EXIT[outcome];
  } finally {
    await stack?.stop();
  }
};
