import { join } from 'node:path';
import { startLocalStack } from './localStack';
import type { LocalStack } from './localStack';
import type { ObservedInvocation } from './observingInvocations';
import { testEmulatorEndpoints, uniqueStackName } from './testing/testEmulatorEndpoints';

const SCRIPTED_HANDLER = join(__dirname, 'testing', 'scriptedHandler.cjs');
let stack: LocalStack;
const invocations: ObservedInvocation[] = [];

beforeAll(async () => {
  stack = await startLocalStack({
    name: uniqueStackName(),
    emulators: testEmulatorEndpoints(),
    bundles: { ingest: SCRIPTED_HANDLER, aggregator: SCRIPTED_HANDLER },
    // The scripted ingest sends one output message per S3 event, through the SDK configured
    // only by the environment the stack gives a Lambda.
    environment: { ingest: { SCRIPTED_HANDLER_FORWARD_TO: 'TALLY_OUTPUT_QUEUE_URL' } },
    log: () => undefined,
    onInvocation: (invocation) => invocations.push(invocation),
  });
});
afterAll(() => stack.stop());

describe('startLocalStack', () => {
  it('runs uploads through the notification proxy and the ingest function to the output queue', async () => {
    const keys = await stack.upload('batch é 1', [
      { name: 'customers.csv', body: 'customer_reference\nC1\n' },
      { name: 'orders.csv', body: 'order_reference\nO1\n' },
      { name: 'items.csv', body: Buffer.alloc(12 * 1024 * 1024, 'a') },
    ]);
    expect(keys).toEqual([
      'incoming/batch é 1/customers.csv',
      'incoming/batch é 1/orders.csv',
      'incoming/batch é 1/items.csv',
    ]);
    await stack.whenIdle({ timeoutMs: 20_000 });

    const messages = (await stack.readOutputMessages()).map(
      (body) => JSON.parse(body) as { type: string; key: string },
    );
    expect(messages.map((message) => message.key).sort()).toEqual([
      'incoming/batch+%C3%A9+1/customers.csv',
      'incoming/batch+%C3%A9+1/items.csv',
      'incoming/batch+%C3%A9+1/orders.csv',
    ]);
    expect(messages.every((message) => message.type === 'customer_message')).toBe(true);
    expect(await stack.readOutputMessages()).toEqual([]);
    expect(await stack.dlqMessageCounts()).toEqual({ ingest: 0, aggregation: 0, output: 0 });
    // Only the function's own calls, by the role of the queue they name: the stack's polling,
    // uploads and reads go around the functions' meters.
    expect(stack.awsOperations()).toEqual([
      { function: 'ingest', service: 'sqs', operation: 'SendMessage', resource: 'queue:output' },
    ]);
    const none = { requests: {}, dynamodbWriteUnits: 0, dynamodbReadUnits: 0 };
    expect(stack.functionUsage()).toEqual({
      ingest: { ...none, requests: { 'SQS.SendMessage': 3 } },
      aggregator: none,
    });
    expect(stack.usage()).toEqual(stack.functionUsage().ingest);
    // Four ingest invocations (the s3:TestEvent and the three files), each process's peak RSS
    // reported; the aggregator never ran.
    const { ingest, aggregator } = stack.functionMetrics();
    expect(ingest.processes.reduce((sum, process) => sum + process.invocations, 0)).toBe(4);
    expect(ingest.processes.every((process) => process.peakRssBytes > 0)).toBe(true);
    expect(aggregator.processes).toEqual([]);
    // Each invocation observed once it ended, with its event: one SQS record each.
    expect(invocations.map(({ functionKey, success }) => [functionKey, success])).toEqual(
      Array.from({ length: 4 }, () => ['ingest', true]),
    );
    for (const { event, durationMs } of invocations) {
      expect((event as { Records: unknown[] }).Records).toHaveLength(1);
      expect(durationMs).toBeGreaterThan(0);
    }
  });

  it('advertises the proxy as its S3 endpoint', () => {
    const emulators = testEmulatorEndpoints();
    expect(stack.endpoints.s3).not.toBe(emulators.s3);
    expect(stack.endpoints.sqs).toBe(emulators.sqs);
    expect(stack.endpoints.dynamodb).toBe(emulators.dynamodb);
  });
});
