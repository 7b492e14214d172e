// `npm start -- [<folder>] [--batch-id <id>] [--no-build]`: runs one batch through the local stack.
// Uploads the folder's *.csv files at the same time as batch <id> (default: the folder's name),
// waits until the pipeline is idle, then prints every output message, one JSON object per line.
// stdout carries those lines and nothing else; progress and Lambda logs go to stderr.
// Exit code: 0 the batch was aggregated, 2 it could not complete, 1 the pipeline failed
// (a message in a DLQ, or an exception).
import { readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoStagingStore } from '@tally/aws-clients';
import { batchStatusOf } from '@tally/domain';
import { startLocalStack } from '@tally/local-stack';
import type { LocalStack } from '@tally/local-stack';

const EXIT_AGGREGATED = 0;
const EXIT_PIPELINE_FAILED = 1;
const EXIT_INCOMPLETE = 2;

const progress = (line: string) => process.stderr.write(`[start] ${line}\n`);

/**
 * One line per message, exactly as sent: bodies are single-line JSON, and re-serialising them
 * through JSON.parse would round big amounts through binary floats.
 */
const asLine = (body: string): string => body.replace(/\r?\n/g, ' ');

const writeStdout = (text: string) =>
  new Promise<void>((resolveWrite, reject) =>
    process.stdout.write(text, (error) => (error ? reject(error) : resolveWrite())),
  );

const run = async (): Promise<number> => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { 'batch-id': { type: 'string' }, 'no-build': { type: 'boolean' } },
  });
  const folder = resolve(positionals[0] ?? join(__dirname, '..', '..', 'sample'));
  const batchId = values['batch-id'] ?? basename(folder);
  const files = readdirSync(folder)
    .filter((name) => name.endsWith('.csv'))
    .sort();
  if (files.length === 0) throw new Error(`no *.csv file in ${folder}`);

  const started = performance.now();
  const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  let stack: LocalStack | undefined;
  try {
    // Always build: Nx's cache makes it ~1 s when nothing changed, and a stale bundle would
    // run yesterday's code. `--no-build` (for repeated runs) uses dist/ as it is.
    stack = await startLocalStack({ build: values['no-build'] !== true });
    progress(`stack up in ${seconds()}; uploading ${files.join(', ')} as batch "${batchId}"`);
    await stack.upload(
      batchId,
      files.map((name) => ({ name, path: join(folder, name) })),
    );
    await stack.whenIdle();
    const messages = await stack.readOutputMessages();
    progress(`pipeline idle after ${seconds()}; ${messages.length} output message(s)`);
    await writeStdout(messages.map((body) => `${asLine(body)}\n`).join(''));

    const usage = stack.usage();
    const calls = Object.entries(usage.requests)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([operation, count]) => `${operation} ${count}`)
      .join(', ');
    progress(`AWS requests of the functions: ${calls}`);
    progress(
      `DynamoDB capacity: ${usage.dynamodbWriteUnits} write units, ${usage.dynamodbReadUnits} read units`,
    );
    const dlqCounts = await stack.dlqMessageCounts();
    const inDlq = Object.entries(dlqCounts).filter(([, count]) => count > 0);
    if (inDlq.length > 0) {
      progress(
        `pipeline failed: messages in DLQs: ${inDlq.map(([queue, count]) => `${queue}-dlq ${count}`).join(', ')}`,
      );
      return EXIT_PIPELINE_FAILED;
    }
    const store = new DynamoStagingStore({
      client: DynamoDBDocumentClient.from(stack.clients.dynamodb),
      tableName: stack.resources.table.name,
      ttlDays: 1,
    });
    const outcome = batchStatusOf(await store.readManifest(batchId));
    progress(`batch "${batchId}": ${outcome}`);
    return outcome === 'aggregated' ? EXIT_AGGREGATED : EXIT_INCOMPLETE;
  } finally {
    await stack?.stop();
  }
};

run().then(
  (code) => process.exit(code),
  (error: unknown) => {
    progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(EXIT_PIPELINE_FAILED);
  },
);
