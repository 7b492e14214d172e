import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import {
  InMemoryObjectSource,
  InMemoryStagingStore,
  RecordingAggregationRequests,
  RecordingIngestContinuations,
  RecordingMessageSink,
} from '@tally/domain/testing';
import { createBatchManifestValidator, createRowValidators } from '@tally/schema';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { createIngestHandler } from './createIngestHandler';

// Quiet logs and metrics: these tests assert on behaviour, not on log lines.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

const context = {
  functionName: 'tally-test-ingest',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 900_000,
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

const s3EventBody = (location: {
  bucket: string;
  key: string;
  size: number;
  eTag: string;
  sequencer: string;
}) =>
  JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        eventName: 'ObjectCreated:Put',
        s3: {
          bucket: { name: location.bucket },
          object: {
            key: encodeURIComponent(location.key).replace(/%2F/g, '/').replace(/%20/g, '+'),
            size: location.size,
            eTag: location.eTag,
            sequencer: location.sequencer,
          },
        },
      },
    ],
  });

const setUp = (segmentBytes = 1_000_000) => {
  const source = new InMemoryObjectSource();
  const store = new InMemoryStagingStore();
  const sink = new RecordingMessageSink();
  const aggregation = new RecordingAggregationRequests();
  const continuations = new RecordingIngestContinuations();
  const logger = new Logger({ logLevel: 'SILENT' });
  const metrics = new Metrics({ namespace: 'Test', serviceName: 'ingest' });
  const handler = createIngestHandler({
    source,
    store,
    sink,
    aggregation,
    continuations,
    validators: createRowValidators(),
    manifestValidator: createBatchManifestValidator(),
    settings: {
      inputPrefix: 'incoming/',
      maxObjectBytes: 1_000_000,
      maxLineBytes: 1_024,
      segmentBytes,
      maxRowErrors: 100,
      stagedRowsTtlMs: 86_400_000,
    },
    logger,
    metrics,
    tracer: new Tracer({ enabled: false }),
  });
  return { source, store, sink, aggregation, continuations, handler };
};

describe('ingest handler', () => {
  it('stages the object of each record, decoding a key with spaces and Unicode', async () => {
    const { source, store, handler } = setUp();
    const location = source.put(
      'incoming/lot é 1/customers.csv',
      'customer_reference,first_name,last_name,status\nC1,A,B,active\n',
    );
    const response = await handler(
      { Records: [recordOf('m1', s3EventBody(location))] } as SQSEvent,
      context,
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect(store.stateOf('lot é 1')?.files).toEqual([
      expect.objectContaining({ key: 'incoming/lot é 1/customers.csv', rowCount: 1 }),
    ]);
  });

  it('ignores the s3:TestEvent', async () => {
    const { sink, store, handler } = setUp();
    const body = JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'b' });
    expect(await handler({ Records: [recordOf('m1', body)] } as SQSEvent, context)).toEqual({
      batchItemFailures: [],
    });
    expect(sink.messages).toEqual([]);
    expect(store.calls.writeBatchState).toBe(0);
  });

  it('reports only the failing record so SQS retries just that one', async () => {
    const { source, handler } = setUp();
    const good = source.put(
      'incoming/b/orders.csv',
      'order_reference,customer_reference,order_status,order_timestamp\nO1,C1,new,1700000000\n',
    );
    const response = await handler(
      {
        Records: [recordOf('ok', s3EventBody(good)), recordOf('garbage', '{"not":"an event"}')],
      } as SQSEvent,
      context,
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'garbage' }] });
  });

  it('reads a long file on from the continuation it sent itself when time ran short', async () => {
    const { source, store, continuations, handler } = setUp(2_048);
    const rows = Array.from({ length: 400 }, (_, n) => `C${n},Ada,Lovelace,active\n`).join('');
    const location = source.put(
      'incoming/b/customers.csv',
      `customer_reference,first_name,last_name,status\n${rows}`,
    );
    // 10 s left, a reserve of 2 s; each look at the clock costs 3 s. The first 2,048-byte
    // segment leaves 4 s, less than 2 s + 3 s: the rest goes on later.
    let remaining = 10_000;
    const shortOfTime = {
      ...context,
      getRemainingTimeInMillis: () => (remaining -= 3_000) + 3_000,
    } as Context;
    await handler({ Records: [recordOf('m1', s3EventBody(location))] } as SQSEvent, shortOfTime);
    expect(continuations.messages).toEqual([
      {
        type: 'ingest_continuation',
        bucket: location.bucket,
        key: 'incoming/b/customers.csv',
        size: location.size,
        e_tag: location.eTag,
        sequencer: location.sequencer,
        segment: 1,
      },
    ]);
    expect(store.stateOf('b')).toBeUndefined();

    const body = JSON.stringify(continuations.messages[0]);
    const response = await handler({ Records: [recordOf('m2', body)] } as SQSEvent, context);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(store.stateOf('b')?.files).toEqual([
      expect.objectContaining({ key: 'incoming/b/customers.csv', rowsRead: 400, rowCount: 400 }),
    ]);
  });

  it('sends the error_messages of invalid rows, validated by the JSON Schemas', async () => {
    const { source, sink, handler } = setUp();
    const location = source.put(
      'incoming/b/items.csv',
      'order_reference,item_name,quantity,total_price\nO1,pen,0,1.5\nO2,ink,1,1e3\n',
    );
    await handler({ Records: [recordOf('m1', s3EventBody(location))] } as SQSEvent, context);
    expect(sink.bodies()).toEqual([
      expect.objectContaining({
        code: 'VALUE_OUT_OF_RANGE',
        file: 'items.csv',
        line: 2,
        column: 'quantity',
        value: '0',
      }),
      expect.objectContaining({
        code: 'VALUE_INVALID_DECIMAL',
        file: 'items.csv',
        line: 3,
        column: 'total_price',
        value: '1e3',
      }),
    ]);
  });
});
