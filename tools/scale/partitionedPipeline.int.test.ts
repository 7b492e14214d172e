import { mkdtemp, rm } from 'node:fs/promises';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoStagingStore } from '@tally/aws-clients';
import { ingestCheckpointName, readIngestCheckpoint, readRunProgress } from '@tally/domain';
import { pipelineSettings, startLocalStack } from '@tally/local-stack';
import type { LocalStack } from '@tally/local-stack';
import { testEmulatorEndpoints, uniqueStackName } from '@tally/local-stack/testing';
import { expectedErrorMessageCount } from '../generate/expectedOutput';
import { generateBatch } from '../generate/generateBatch';
import type { ExpectedBatch } from '../generate/generateBatch';
import { checkConsumedBatch } from '../reliability/checkConsumedBatch';
import { ResultConsumer } from '../reliability/ResultConsumer';

/**
 * Issue 14's end-to-end proof in `npm test`: a 2,000,000-row batch (about 65 MB) on the
 * embedded stack, its items file read in 16 MiB segments (so several segments and, with 8
 * buckets per large file, rows spread by reference), and aggregated in 8 partitions (250,000
 * rows each) by tasks running side by side. A consumer following the README's rule must end
 * holding exactly the generator's expected result.
 */
const SIZES = { customers: 77_000, orders: 385_000, items: 1_538_000 };
const ROWS = SIZES.customers + SIZES.orders + SIZES.items;
const ROWS_PER_PARTITION = ROWS / 8;
const MAX_ROW_ERRORS = pipelineSettings.limits.maxRowErrors;
const SEGMENT_BYTES = 16 * 1024 * 1024;

// Generating, ingesting and aggregating 2,000,000 rows takes minutes on a 2-core machine.
jest.setTimeout(900_000);

describe('a 2,000,000-row batch, read in segments and aggregated in 8 partitions', () => {
  let stack: LocalStack;
  let folder = '';
  let expected: ExpectedBatch;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tally-2m-'));
    expected = await generateBatch({ outDir: folder, ...SIZES, seed: 14, errorRate: 0.001 });
    const quiet = !process.env['TALLY_TEST_LOGS'];
    stack = await startLocalStack({
      name: uniqueStackName(),
      emulators: testEmulatorEndpoints(),
      retryDelayMs: 500,
      quiet,
      ...(quiet && { log: () => undefined }),
      environment: {
        ingest: { TALLY_SEGMENT_BYTES: String(SEGMENT_BYTES) },
        aggregator: { TALLY_ROWS_PER_PARTITION: String(ROWS_PER_PARTITION) },
      },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('gives a consumer exactly the expected result', async () => {
    const batchId = 'two-million';
    await stack.upload(batchId, [
      { name: 'customers.csv', path: expected.files.customers.path },
      { name: 'orders.csv', path: expected.files.orders.path },
      { name: 'items.csv', path: expected.files.items.path },
    ]);
    await stack.whenIdle();

    const consumer = new ResultConsumer();
    const messages = await stack.readOutputMessagesWithAttributes();
    for (const message of messages) consumer.receive(message);
    const store = new DynamoStagingStore({
      client: DynamoDBDocumentClient.from(stack.clients.dynamodb),
      tableName: stack.resources.table.name,
    });
    const state = (await store.readBatchState(batchId))?.state;
    const check = checkConsumedBatch(expected, consumer, batchId, {
      latestRevision: state?.revision?.number,
      maxRowErrors: MAX_ROW_ERRORS,
    });
    expect(check.problems).toEqual([]);
    expect(consumer.resultOf(batchId)).toHaveLength(expected.customers.length);
    expect(messages.filter((message) => message.body.includes('"error_message"'))).toHaveLength(
      expectedErrorMessageCount(expected, MAX_ROW_ERRORS),
    );
    expect(consumer.anomalies).toEqual([]);

    // It really was split: the items file read in several 16 MiB segments (its checkpoint,
    // written after each segment but the last, counts them) and spread over 8 buckets; 8 orders
    // and 8 customers tasks, each recorded done, then the finish.
    const items = state?.revision?.files.find((file) => file.kind === 'items');
    expect(items?.buckets).toBe(8);
    const checkpoint = await readIngestCheckpoint(
      store,
      batchId,
      ingestCheckpointName(items?.key ?? '', items?.version ?? ''),
    );
    expect(checkpoint?.segment).toBeGreaterThanOrEqual(2);
    expect(checkpoint?.segmentBytes).toBe(SEGMENT_BYTES);
    expect(await readRunProgress(store, batchId, 1)).toEqual({
      partitions: 8,
      ordersDone: 8,
      customersDone: 8,
      finishStarted: true,
    });
    expect(state?.aggregated).toMatchObject({ revision: 1, outcome: 'sent' });
  });
});
