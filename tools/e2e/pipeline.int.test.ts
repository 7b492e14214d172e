import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoStagingStore } from '@tally/aws-clients';
import { describeBatch } from '@tally/domain';
import { encodeS3EventKey, pipelineSettings, startLocalStack } from '@tally/local-stack';
import type { LocalStack, ObservedOperation } from '@tally/local-stack';
import { testEmulatorEndpoints, uniqueStackName } from '@tally/local-stack/testing';
import { recordObservedOperations } from '../infra/observedOperations';

/**
 * The real ingest and aggregator bundles (dist/, built by `nx build`) on the embedded stack:
 * S3 uploads through the notification step, SQS event source pollers, DynamoDB staging.
 */
jest.setTimeout(120_000);

const CUSTOMERS = [
  'customer_reference,first_name,last_name,status',
  'C1,Ada,Lovelace,active',
  'C2,"Hopper, Grace",Hopper,active',
  'C3,Alan,Turing,inactive',
  ',Nobody,Empty,active',
  'C1,Ada,Again,active',
].join('\r\n');
const ORDERS = [
  'order_status,order_reference,customer_reference,order_timestamp,notes',
  'shipped,O1,C1,1700000000,first',
  'cancelled,O2,C1,1700000100,',
  'shipped,O3,C2,1700000200,"multi',
  'line"',
  'shipped,O4,C9,1700000300,orphan',
  'shipped,O5,C2,17000003xx,bad time',
].join('\n');
const ITEMS = [
  'order_reference,item_name,quantity,total_price',
  'O1,pen,1,0.10',
  'O1,ink,2,0.20',
  'O2,pad,1,12345678.91',
  'O2,tape,1,0.09',
  'O3,desk,1,100',
  'O4,lost,1,5',
  'O8,ghost,1,1',
  'O3,chair,0,50',
].join('\n');

const EXPECTED_CUSTOMERS = [
  '{"type":"customer_message","customer_reference":"C1","number_of_orders":2,"total_amount_spent":12345679.3}',
  '{"type":"customer_message","customer_reference":"C2","number_of_orders":1,"total_amount_spent":100}',
  '{"type":"customer_message","customer_reference":"C3","number_of_orders":0,"total_amount_spent":0}',
];

/** code, file, line, column, value of every error_message, sorted. */
const errorsOf = (bodies: readonly string[]) =>
  bodies
    .map((body) => JSON.parse(body) as Record<string, unknown>)
    .filter((message) => message['type'] === 'error_message')
    .map((message) =>
      [message['code'], message['file'], message['line'], message['column'], message['value']].join(
        ' ',
      ),
    )
    .sort();

const customersOf = (bodies: readonly string[]) =>
  bodies.filter((body) => body.startsWith('{"type":"customer_message"')).sort();

const summariesOf = (bodies: readonly string[]) =>
  bodies
    .filter((body) => body.startsWith('{"type":"batch_summary"'))
    .map((body) => JSON.parse(body) as { revision: number; customer_messages: number });

/** What the stacks of the blocks before the main one saw the functions call. */
const earlierOperations: ObservedOperation[] = [];

/**
 * Ingest with 8 KiB segments and a 2 s timeout: a 1 MB file (about 120 segments) takes several
 * invocations, each handing the rest to the next with an ingest_continuation on the ingest queue.
 */
describe('a long file on the embedded stack', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    const quiet = !process.env['TALLY_TEST_LOGS'];
    const { ingest } = pipelineSettings.functions;
    stack = await startLocalStack({
      name: uniqueStackName(),
      emulators: testEmulatorEndpoints(),
      retryDelayMs: 200,
      quiet,
      ...(quiet && { log: () => undefined }),
      settings: {
        ...pipelineSettings,
        functions: { ...pipelineSettings.functions, ingest: { ...ingest, timeoutSeconds: 2 } },
      },
      environment: { ingest: { TALLY_MAX_LINE_BYTES: '1024', TALLY_SEGMENT_BYTES: '8192' } },
    });
  });
  afterAll(async () => {
    if (stack === undefined) return;
    earlierOperations.push(...stack.awsOperations());
    await stack.stop();
  });

  it('is read in segments over several invocations, with exact messages', async () => {
    // 40,000 items of 0.01 over 200 orders of 10 customers; every 1,000th has quantity 0, and
    // every 5,000th a quoted name over two lines (so physical lines and records differ).
    const items = ['order_reference,item_name,quantity,total_price'];
    const rejectedLines: number[] = [];
    let line = 2;
    for (let item = 0; item < 40_000; item += 1) {
      const name = item % 5_000 === 1 ? '"two\nlines"' : `item ${item} é`;
      const quantity = item % 1_000 === 999 ? 0 : 1;
      if (quantity === 0) rejectedLines.push(line);
      items.push(`O${item % 200},${name},${quantity},0.01`);
      line += item % 5_000 === 1 ? 2 : 1;
    }
    const body = `${items.join('\n')}\n`;
    expect(Buffer.byteLength(body)).toBe(1_006_926);
    const orders = ['order_reference,customer_reference,order_status,order_timestamp'].concat(
      Array.from({ length: 200 }, (_, n) => `O${n},C${n % 10},new,1700000000`),
    );
    const customers = ['customer_reference,first_name,last_name,status'].concat(
      Array.from({ length: 10 }, (_, n) => `C${n},Ada,L,active`),
    );
    await stack.upload('segments', [
      { name: 'customers.csv', body: customers.join('\n') },
      { name: 'orders.csv', body: orders.join('\n') },
      { name: 'items.csv', body },
    ]);
    await stack.whenIdle();
    const bodies = await stack.readOutputMessages();

    // 20 orders of 200 items each per customer; the 40 rejected items are all O199's (C9's).
    expect(customersOf(bodies)).toEqual(
      Array.from(
        { length: 10 },
        (_, n) =>
          `{"type":"customer_message","customer_reference":"C${n}","number_of_orders":20,"total_amount_spent":${n === 9 ? 39.6 : 40}}`,
      ),
    );
    expect(errorsOf(bodies)).toEqual(
      rejectedLines.map((at) => `VALUE_OUT_OF_RANGE items.csv ${at} quantity 0`).sort(),
    );
    expect(summariesOf(bodies)).toEqual([
      expect.objectContaining({ revision: 1, customer_messages: 10, error_messages: 0 }),
    ]);
    // Three S3 events, and continuations for the rest of the items file.
    expect(stack.functionMetrics().ingest.invocations).toBeGreaterThan(3);
  });
});

describe('the pipeline on the embedded stack', () => {
  let stack: LocalStack;
  let store: DynamoStagingStore;

  beforeAll(async () => {
    // TALLY_TEST_LOGS=1 shows the functions' logs and START/END/REPORT lines.
    const quiet = !process.env['TALLY_TEST_LOGS'];
    stack = await startLocalStack({
      name: uniqueStackName(),
      emulators: testEmulatorEndpoints(),
      retryDelayMs: 200,
      quiet,
      ...(quiet && { log: () => undefined }),
    });
    store = new DynamoStagingStore({
      client: DynamoDBDocumentClient.from(stack.clients.dynamodb),
      tableName: stack.resources.table.name,
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });
  afterEach(async () => {
    // No message may ever end in a DLQ in these scenarios.
    expect(await stack.dlqMessageCounts()).toEqual({ ingest: 0, aggregation: 0, output: 0 });
  });

  const run = async (batchId: string, files: { name: string; body: string }[]) => {
    await stack.upload(batchId, files);
    await stack.whenIdle();
    return stack.readOutputMessages();
  };
  const phaseOf = async (batchId: string) => {
    const stored = await store.readBatchState(batchId);
    return stored && describeBatch(stored.state, Date.now()).phase;
  };

  it('sends the exact customer and error messages of a full batch uploaded at once', async () => {
    const bodies = await run('full', [
      { name: 'customers.csv', body: CUSTOMERS },
      { name: 'orders.csv', body: ORDERS },
      { name: 'items.csv', body: ITEMS },
    ]);
    // Exactly one aggregation: each customer appears once.
    expect(customersOf(bodies)).toEqual(EXPECTED_CUSTOMERS);
    expect(errorsOf(bodies)).toEqual([
      'DUPLICATE_REFERENCE customers.csv 6 customer_reference C1',
      'ORPHAN_ITEM items.csv 8 order_reference O8',
      'ORPHAN_ORDER orders.csv 6 customer_reference C9',
      'VALUE_INVALID_TIMESTAMP orders.csv 7 order_timestamp 17000003xx',
      'VALUE_OUT_OF_RANGE items.csv 9 quantity 0',
      'VALUE_REQUIRED customers.csv 5 customer_reference ',
    ]);
    expect(summariesOf(bodies)).toEqual([
      // The aggregator's errors: the repeated customer, the orphan order and the orphan item.
      expect.objectContaining({ revision: 1, customer_messages: 3, error_messages: 3 }),
    ]);
    expect(await phaseOf('full')).toBe('aggregated');
  });

  it('handles batch ids and keys with spaces, +, & and Unicode', async () => {
    const batchId = 'lot + & = é 日本 1';
    const bodies = await run(batchId, [
      {
        name: 'customers.csv',
        body: 'customer_reference,first_name,last_name,status\nCé,Zoë,Ünal,active\n',
      },
      {
        name: 'orders.csv',
        body: 'order_reference,customer_reference,order_status,order_timestamp\nO日本,Cé,new,1\n',
      },
      {
        name: 'items.csv',
        body: '\uFEFForder_reference,item_name,quantity,total_price\nO日本,très,1,0.5\n',
      },
    ]);
    expect(customersOf(bodies)).toEqual([
      '{"type":"customer_message","customer_reference":"Cé","number_of_orders":1,"total_amount_spent":0.5}',
    ]);
    expect(summariesOf(bodies)).toHaveLength(1);
    expect(await phaseOf(batchId)).toBe('aggregated');
  });

  it('ignores an s3:TestEvent', async () => {
    await stack.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.resources.queues.ingest.url,
        MessageBody: JSON.stringify({
          Service: 'Amazon S3',
          Event: 's3:TestEvent',
          Time: new Date().toISOString(),
          Bucket: stack.resources.bucket.name,
          RequestId: 'R',
          HostId: 'H',
        }),
      }),
    );
    await stack.whenIdle();
    expect(await stack.readOutputMessages()).toEqual([]);
  });

  it('stages and aggregates nothing twice when the same S3 event is delivered again', async () => {
    const first = await run('twice', [
      { name: 'customers.csv', body: CUSTOMERS },
      { name: 'orders.csv', body: ORDERS },
      { name: 'items.csv', body: ITEMS },
    ]);
    expect(customersOf(first)).toEqual(EXPECTED_CUSTOMERS);
    // Redeliver the items event exactly as S3 sent it: same key, eTag and sequencer.
    const key = 'incoming/twice/items.csv';
    const head = await stack.clients.s3.send(
      new HeadObjectCommand({ Bucket: stack.resources.bucket.name, Key: key }),
    );
    const recorded = (await store.readBatchState('twice'))?.state.files.find(
      (file) => file.key === key,
    );
    const sequencer = recorded?.sequencer;
    const event = {
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'us-east-1',
          eventName: 'ObjectCreated:Put',
          s3: {
            bucket: { name: stack.resources.bucket.name },
            object: {
              key: encodeS3EventKey(key),
              size: head.ContentLength,
              eTag: head.ETag?.replace(/"/g, ''),
              sequencer,
            },
          },
        },
      ],
    };
    for (let delivery = 0; delivery < 2; delivery += 1) {
      await stack.clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: stack.resources.queues.ingest.url,
          MessageBody: JSON.stringify(event),
        }),
      );
    }
    await stack.whenIdle();
    expect(await stack.readOutputMessages()).toEqual([]);
  });

  it('completes a batch when a file rejected as a whole is uploaded again, corrected', async () => {
    const rejected = await run('corrected', [
      { name: 'customers.csv', body: 'customer_reference,first_name,status\nC1,Ada,active\n' },
      {
        name: 'orders.csv',
        body: 'order_reference,customer_reference,order_status,order_timestamp\nO1,C1,new,1\n',
      },
      {
        name: 'items.csv',
        body: 'order_reference,item_name,quantity,total_price\nO1,pen,1,2.50\n',
      },
    ]);
    expect(errorsOf(rejected)).toEqual(['FILE_MISSING_COLUMNS customers.csv 1 last_name ']);
    expect(customersOf(rejected)).toEqual([]);
    expect(await phaseOf('corrected')).toBe('incomplete');

    const completed = await run('corrected', [
      {
        name: 'customers.csv',
        body: 'customer_reference,first_name,last_name,status\nC1,Ada,L,active\n',
      },
    ]);
    expect(customersOf(completed)).toEqual([
      '{"type":"customer_message","customer_reference":"C1","number_of_orders":1,"total_amount_spent":2.5}',
    ]);
    expect(summariesOf(completed)).toEqual([expect.objectContaining({ revision: 1 })]);
  });

  it('aggregates again with the latest file when a file is re-uploaded after aggregation', async () => {
    const first = await run('reopened', [
      {
        name: 'customers.csv',
        body: 'customer_reference,first_name,last_name,status\nC1,Ada,L,active\n',
      },
      {
        name: 'orders.csv',
        body: 'order_reference,customer_reference,order_status,order_timestamp\nO1,C1,new,1\n',
      },
      {
        name: 'items.csv',
        body: 'order_reference,item_name,quantity,total_price\nO1,pen,1,2.50\n',
      },
    ]);
    expect(customersOf(first)).toEqual([
      '{"type":"customer_message","customer_reference":"C1","number_of_orders":1,"total_amount_spent":2.5}',
    ]);
    const second = await run('reopened', [
      {
        name: 'items.csv',
        body: 'order_reference,item_name,quantity,total_price\nO1,pen,1,2.50\nO1,ink,1,0.75\n',
      },
    ]);
    expect(customersOf(second)).toEqual([
      '{"type":"customer_message","customer_reference":"C1","number_of_orders":1,"total_amount_spent":3.25}',
    ]);
    expect(summariesOf(second)).toEqual([expect.objectContaining({ revision: 2 })]);
  });

  it('gives every message of a revision its revision and an id of its own, also in a revert', async () => {
    const customers = 'customer_reference,first_name,last_name,status\nC1,Ada,L,active\n';
    const orders = 'order_reference,customer_reference,order_status,order_timestamp\nO1,C1,new,1\n';
    const v1 = 'order_reference,item_name,quantity,total_price\nO1,pen,1,2.50\n';
    const v2 = 'order_reference,item_name,quantity,total_price\nO1,pen,1,9\n';
    await stack.upload('revert', [
      { name: 'customers.csv', body: customers },
      { name: 'orders.csv', body: orders },
      { name: 'items.csv', body: v1 },
    ]);
    await stack.whenIdle();
    for (const items of [v2, v1]) {
      await stack.upload('revert', [{ name: 'items.csv', body: items }]);
      await stack.whenIdle();
    }
    const messages = await stack.readOutputMessagesWithAttributes();
    const customerMessages = messages.filter((message) =>
      message.body.startsWith('{"type":"customer_message"'),
    );
    expect(
      customerMessages.map((message) => [message.attributes['batch_revision'], message.body]),
    ).toEqual([
      [
        '1',
        '{"type":"customer_message","customer_reference":"C1","number_of_orders":1,"total_amount_spent":2.5}',
      ],
      [
        '2',
        '{"type":"customer_message","customer_reference":"C1","number_of_orders":1,"total_amount_spent":9}',
      ],
      [
        '3',
        '{"type":"customer_message","customer_reference":"C1","number_of_orders":1,"total_amount_spent":2.5}',
      ],
    ]);
    expect(new Set(customerMessages.map((message) => message.attributes['message_id'])).size).toBe(
      3,
    );
  });

  it('ingests a 20 MB items file uploaded in parts, summing exactly', async () => {
    const orders = 1_000;
    const itemsPerOrder = 500;
    const lines = ['order_reference,item_name,quantity,total_price'];
    for (let item = 0; item < orders * itemsPerOrder; item += 1) {
      lines.push(
        `O${item % orders},item number ${item} with a fairly long descriptive name,1,0.01`,
      );
    }
    const items = `${lines.join('\n')}\n`;
    expect(Buffer.byteLength(items)).toBeGreaterThan(20 * 1024 * 1024);
    const ordersCsv = ['order_reference,customer_reference,order_status,order_timestamp']
      .concat(Array.from({ length: orders }, (_, n) => `O${n},C${n % 2},new,1700000000`))
      .join('\n');
    const bodies = await run('large', [
      {
        name: 'customers.csv',
        body: 'customer_reference,first_name,last_name,status\nC0,a,b,c\nC1,d,e,f\n',
      },
      { name: 'orders.csv', body: ordersCsv },
      { name: 'items.csv', body: items },
    ]);
    // 250,000 items of 0.01 per customer.
    expect(customersOf(bodies)).toEqual([
      '{"type":"customer_message","customer_reference":"C0","number_of_orders":500,"total_amount_spent":2500}',
      '{"type":"customer_message","customer_reference":"C1","number_of_orders":500,"total_amount_spent":2500}',
    ]);
    const recorded = (await store.readBatchState('large'))?.state.files.find(
      (file) => file.kind === 'items',
    );
    expect(recorded?.status === 'staged' && recorded.rowCount).toBe(orders * itemsPerOrder);
    expect(recorded?.version).toMatch(/-[0-9a-f]+-\d+$/); // a multipart eTag: <md5>-<parts>
  });

  // Last: what the runs above made each function call. Writes reports/iam/e2e-pipeline.json.
  it('calls only AWS operations that infra/iam/observed-operations.json lists', () => {
    expect(
      recordObservedOperations('e2e-pipeline', [...earlierOperations, ...stack.awsOperations()]),
    ).toEqual([]);
  });
});
