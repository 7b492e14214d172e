import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { MetricUnit as MetricUnitValue } from '@aws-lambda-powertools/metrics/types';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { ingestFile, startAggregation, updateBatchState } from '@tally/domain';
import {
  InMemoryObjectSource,
  InMemoryStagingStore,
  RecordingAggregationRequests,
  RecordingMessageSink,
} from '@tally/domain/testing';
import { createBatchManifestValidator, createRowValidators } from '@tally/schema';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { createAggregatorHandler } from './createAggregatorHandler';

// Quiet logs and metrics: these tests assert on behaviour, not on log lines.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

const context = {
  functionName: 'tally-test-aggregator',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 300_000,
} as unknown as Context;
const recordOf = (messageId: string, body: string): SQSRecord =>
  ({
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: {},
    messageAttributes: {},
    eventSource: 'aws:sqs',
  }) as unknown as SQSRecord;

/** Powertools' Metrics, keeping the count of each metric the handler adds. */
class CountingMetrics extends Metrics {
  public readonly counts: Record<string, number> = {};

  public override addMetric(name: string, unit: MetricUnitValue, value: number): this {
    this.counts[name] = (this.counts[name] ?? 0) + value;
    return super.addMetric(name, unit, value);
  }
}

const FILES = {
  customers: 'customer_reference,first_name,last_name,status\nC1,Ada,L,active\nC2,Alan,T,active\n',
  orders:
    'order_reference,customer_reference,order_status,order_timestamp\nO1,C1,shipped,1700000000\nO2,C1,new,1700000001\n',
  items: 'order_reference,item_name,quantity,total_price\nO1,pen,1,0.10\nO2,ink,2,0.20\n',
};

const setUp = async (rowsPerPartition?: number) => {
  const source = new InMemoryObjectSource();
  const store = new InMemoryStagingStore();
  const aggregation = new RecordingAggregationRequests();
  const ingestDependencies = {
    source,
    store,
    sink: new RecordingMessageSink(),
    aggregation,
    validators: createRowValidators(),
    manifestValidator: createBatchManifestValidator(),
  };
  const settings = {
    inputPrefix: 'incoming/',
    maxObjectBytes: 1_000_000,
    maxLineBytes: 65_536,
    maxRowErrors: 100,
    stagedRowsTtlMs: 86_400_000,
  };
  for (const kind of ['customers', 'orders', 'items'] as const) {
    await ingestFile(
      source.put(`incoming/b1/${kind}.csv`, FILES[kind]),
      ingestDependencies,
      settings,
    );
  }
  const sink = new RecordingMessageSink();
  const metrics = new CountingMetrics({ namespace: 'Test', serviceName: 'aggregator' });
  const handler = createAggregatorHandler({
    store,
    sink,
    requests: aggregation,
    settings: { maxRowErrors: 100, ...(rowsPerPartition !== undefined && { rowsPerPartition }) },
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics,
    tracer: new Tracer({ enabled: false }),
  });
  return {
    handler,
    sink,
    store,
    aggregation,
    metrics,
    request: JSON.stringify(aggregation.requests[0]),
  };
};

describe('aggregator handler', () => {
  it('aggregates the batch a batch_ready message names', async () => {
    const { handler, sink, request } = await setUp();
    expect(await handler({ Records: [recordOf('m1', request)] } as SQSEvent, context)).toEqual({
      batchItemFailures: [],
    });
    expect(request).toBe('{"type":"batch_ready","batch_id":"b1","revision":1}');
    expect(sink.messages.map((message) => message.body).slice(0, 2)).toEqual([
      '{"type":"customer_message","customer_reference":"C1","number_of_orders":2,"total_amount_spent":0.3}',
      '{"type":"customer_message","customer_reference":"C2","number_of_orders":0,"total_amount_spent":0}',
    ]);
    expect(sink.bodies()[2]).toMatchObject({ type: 'batch_summary', batch_id: 'b1', revision: 1 });
    expect(sink.messages.every((message) => message.revision === 1)).toBe(true);
  });

  it('carries on the lease of the request a continuation names, which other requests leave alone', async () => {
    const { handler, sink, store, request } = await setUp();
    // Request m0 holds the lease (it ran short of time and handed the rest over).
    await updateBatchState(store, 'b1', (state) =>
      startAggregation(
        state,
        { revision: 1, owner: 'm0', attempt: 'req-0/m0', leaseMs: 60_000 },
        Date.now(),
      ),
    );
    await handler({ Records: [recordOf('m5', request)] } as SQSEvent, context);
    expect(sink.messages).toEqual([]);
    const continuation = '{"type":"batch_ready","batch_id":"b1","revision":1,"lease_owner":"m0"}';
    await handler({ Records: [recordOf('m9', continuation)] } as SQSEvent, context);
    expect(sink.messages).toHaveLength(3);
  });

  it('sends nothing more when the same request is delivered twice', async () => {
    const { handler, sink, request } = await setUp();
    await handler(
      { Records: [recordOf('m1', request), recordOf('m2', request)] } as SQSEvent,
      context,
    );
    await handler({ Records: [recordOf('m3', request)] } as SQSEvent, context);
    expect(sink.messages).toHaveLength(3);
  });

  it('runs the tasks of a partitioned aggregation that its messages name', async () => {
    const { handler, sink, aggregation, metrics, request } = await setUp(2);
    aggregation.requests.length = 0;
    const queue = [request];
    let handled = 0;
    let finish = '';
    for (let n = 0; queue.length > 0; n += 1) {
      handled += 1;
      const body = queue.shift() ?? '';
      if (body.includes('"finish"')) finish = body;
      expect(await handler({ Records: [recordOf(`m${n}`, body)] } as SQSEvent, context)).toEqual({
        batchItemFailures: [],
      });
      queue.push(...aggregation.requests.splice(0).map((message) => JSON.stringify(message)));
    }
    // The finish delivered again finds the revision aggregated: nothing sent, nothing counted.
    await handler({ Records: [recordOf('again', finish)] } as SQSEvent, context);
    expect(metrics.counts).toEqual({
      PartitionedAggregations: 1,
      AggregationTasks: 9,
      BatchesAggregated: 1,
      CustomerMessages: 2,
      ErrorMessages: 0,
    });
    // 6 rows at 2 per partition: 4 partitions, so the request, 4 orders, 4 customers and 1
    // finish task.
    expect(handled).toBe(10);
    expect(sink.messages.map((message) => message.body).sort()).toEqual([
      '{"type":"batch_summary","batch_id":"b1","revision":1,"files":[{"kind":"customers","file":"customers.csv","object_key":"incoming/b1/customers.csv","object_version":"0A-etag-1","rows":2},{"kind":"orders","file":"orders.csv","object_key":"incoming/b1/orders.csv","object_version":"0A-etag-2","rows":2},{"kind":"items","file":"items.csv","object_key":"incoming/b1/items.csv","object_version":"0A-etag-3","rows":2}],"customer_messages":2,"error_messages":0}',
      '{"type":"customer_message","customer_reference":"C1","number_of_orders":2,"total_amount_spent":0.3}',
      '{"type":"customer_message","customer_reference":"C2","number_of_orders":0,"total_amount_spent":0}',
    ]);
  });

  it('fails a record that is not a batch_ready message, so it ends in the DLQ', async () => {
    const { handler, request } = await setUp();
    const response = await handler(
      { Records: [recordOf('bad', '{"type":"other"}'), recordOf('good', request)] } as SQSEvent,
      context,
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'bad' }] });
  });
});
