import { pipelineSettings } from '@tally/local-stack';
import type { MeasuredRun, ModelSettings } from './scalingModel';
import {
  AWS_DEFAULT_QUOTAS,
  formatDuration,
  formatScalingModel,
  modelSettingsOf,
  scalingModelOf,
  US_EAST_1_PRICES,
} from './scalingModel';

const usage = (
  requests: Record<string, number>,
  dynamodbWriteUnits: number,
  dynamodbReadUnits: number,
) => ({ requests, dynamodbWriteUnits, dynamodbReadUnits });

/** 26,000 rows in round figures: 10,000 rows/s of ingest and of phase 1, 1,000 customers/s. */
const run: MeasuredRun = {
  customers: 1_000,
  orders: 5_000,
  items: 20_000,
  bytes: 858_000,
  phases: {
    ingest: { invocations: 4, busyMs: 2_600 },
    aggregate: { invocations: 1, busyMs: 50 },
    orders: { invocations: 2, busyMs: 2_500 },
    customers: { invocations: 2, busyMs: 1_000 },
    finish: { invocations: 1, busyMs: 20 },
  },
  partitions: 2,
  messages: 1_001,
  usage: {
    ingest: usage({ 'DynamoDB.BatchWriteItem': 26, 'S3.GET': 3, 'SQS.SendMessage': 1 }, 520, 26),
    aggregator: usage({ 'DynamoDB.Query': 52, 'SQS.SendMessageBatch': 101 }, 260, 2_600),
  },
};

/** 1,000 times the run, 1 GB functions, 4 tasks at once. */
const settings: ModelSettings = {
  rows: 26_000_000,
  ingest: { memoryMb: 1_024, timeoutSeconds: 900, maximumConcurrency: 10 },
  aggregator: { memoryMb: 1_024, timeoutSeconds: 300, maximumConcurrency: 4 },
  rowsPerPartition: 4_000_000,
  maxPartitions: 256,
  reserveSeconds: 30,
  table: { readUnitsPerSecond: 12_000, writeUnitsPerSecond: 4_000 },
  prices: US_EAST_1_PRICES,
  quotas: AWS_DEFAULT_QUOTAS,
};

describe('scalingModelOf', () => {
  const model = scalingModelOf(run, settings);

  it('takes per-invocation rates from the run: rows of a phase over its summed durations', () => {
    expect(model.rates).toEqual({
      ingestRowsPerSecond: 10_000,
      ordersTaskRowsPerSecond: 10_000,
      customersTaskCustomersPerSecond: 1_000,
      messagesPerSecond: 1_001,
    });
    expect(model.batch).toEqual({
      rows: 26_000_000,
      customers: 1_000_000,
      orders: 5_000_000,
      items: 20_000_000,
      bytes: 858_000_000,
      partitions: 8,
    });
  });

  it('runs each file as a chain of invocations, and each phase in waves of the event source', () => {
    expect(
      model.phases.map(({ invocations, concurrency, wallSeconds, gbSeconds }) => [
        invocations,
        concurrency,
        wallSeconds,
        gbSeconds,
      ]),
    ).toEqual([
      // 100 s, 500 s and 2,000 s of reading: 1 + 1 + 3 invocations of 870 s.
      [5, 3, 2_000, 2_600],
      [1, 1, 0.05, 0.05],
      // 8 tasks of 3,125,000 rows: 312.5 s each, two invocations of 270 s; 2 waves of 4.
      [16, 4, 625, 2_500],
      // 8 tasks of 125,000 customers: 125 s each.
      [8, 4, 250, 1_000],
      [1, 1, 0.02, 0.02],
    ]);
    expect(model.phases[0]?.boundBy).toBe('the longest file: one invocation after the other');
    expect(model.phases[2]?.boundBy).toBe('2 waves of 4 tasks of 313 s');
    expect(model.wallSeconds).toBeCloseTo(2_875.07, 6);
    expect(model.lambda).toEqual({ invocations: 31, gbSeconds: expect.closeTo(6_100.07, 6) });
  });

  it('scales units and requests with the rows, and counts two poller requests per invocation', () => {
    expect(model.dynamodb).toEqual({ writeUnits: 780_000, readUnits: 2_626_000, requests: 78_000 });
    expect(model.sqs).toEqual({ functionRequests: 102_000, eventSourceRequests: 62 });
    expect(model.s3GetRequests).toBe(3_000);
  });

  it('prices each item per million rows', () => {
    const cost = model.costPerMillionRows;
    expect(cost.lambdaCompute).toBeCloseTo((6_100.07 * 0.0000166667) / 26, 10);
    expect(cost.lambdaRequests).toBeCloseTo((31 * 0.2e-6) / 26, 12);
    expect(cost.dynamodbWrites).toBeCloseTo((780_000 * 0.625e-6) / 26, 10);
    expect(cost.dynamodbReads).toBeCloseTo((2_626_000 * 0.125e-6) / 26, 10);
    expect(cost.sqs).toBeCloseTo((102_062 * 0.4e-6) / 26, 10);
    expect(cost.s3).toBeCloseTo((3_000 * 0.4e-6) / 26, 12);
    expect(cost.total).toBeCloseTo(
      cost.lambdaCompute +
        cost.lambdaRequests +
        cost.dynamodbWrites +
        cost.dynamodbReads +
        cost.sqs +
        cost.s3,
      12,
    );
  });

  it('says which quotas the batch meets', () => {
    expect(model.quotas.map((quota) => [quota.quota, quota.met])).toEqual([
      ['aggregator event source `maximum_concurrency`', true],
      ['Lambda concurrent executions (account, per Region)', false],
      ['SQS event source scale-up', false],
      ['Lambda scaling rate (per function)', false],
      ['SQS messages in flight (standard queue)', false],
      ['DynamoDB write throughput of a new on-demand table', false],
      ['DynamoDB read throughput of a new on-demand table', false],
      ['DynamoDB partition throughput', false],
    ]);
    // 520,000 WRU over 2,000 s of ingest; 260,000 and 2,600,000 RRU over 875 s of aggregation.
    expect(model.quotas[5]?.needed).toBe('260 WRU/s while ingesting, 297 while aggregating');
    expect(model.quotas[6]?.needed).toBe('2,971 RRU/s while aggregating');
    // 660 MB of items: 128 buckets of 16 shards share 260 / 3 WRU/s.
    expect(model.quotas[7]?.needed).toMatch(
      /^0\.0 WRU\/s per chunk key \(.* 128 buckets × 16 shards\)$/,
    );
  });

  it('stretches the aggregation to the table throughput when that is slower', () => {
    const slowTable = scalingModelOf(run, {
      ...settings,
      table: { readUnitsPerSecond: 1_300, writeUnitsPerSecond: 4_000 },
      quotas: { ...AWS_DEFAULT_QUOTAS, dynamodbNewTableReadUnitsPerSecond: 1_300 },
    });
    // 2,600,000 RRU at 1,300 RRU/s: 2,000 s instead of 875 s, each task slowed alike.
    const slowdown = 2_000 / 875;
    expect(slowTable.phases[2]).toMatchObject({
      wallSeconds: expect.closeTo(625 * slowdown, 9),
      gbSeconds: expect.closeTo(2_500 * slowdown, 9),
      // Tasks of 714 s: three invocations of 270 s each.
      invocations: 24,
      boundBy: 'table reads and writes (1,300 RRU/s, 4,000 WRU/s)',
    });
    expect(slowTable.phases[3]?.wallSeconds).toBeCloseTo(250 * slowdown, 9);
    expect(slowTable.tableDemand.readUnitsPerSecond).toBeCloseTo(2_600_000 / 875, 9);
    // The demand is what the tasks would read unslowed: 2,971 RRU/s, more than 1,300.
    expect(slowTable.quotas[6]).toMatchObject({
      needed: '2,971 RRU/s while aggregating',
      met: true,
    });
  });

  it('refuses a run that was not aggregated in partitions', () => {
    const single = {
      ...run,
      phases: { ...run.phases, orders: { invocations: 0, busyMs: 0 } },
    };
    expect(() => scalingModelOf(single, settings)).toThrow(RangeError);
  });
});

describe('modelSettingsOf', () => {
  it('takes the functions as pipeline.json deploys them', () => {
    expect(modelSettingsOf(pipelineSettings, 1e9, 256)).toMatchObject({
      rows: 1e9,
      ingest: { memoryMb: 1_769, timeoutSeconds: 900 },
      aggregator: { memoryMb: 2_048, timeoutSeconds: 300 },
      rowsPerPartition: 4_000_000,
      maxPartitions: 256,
    });
  });
});

describe('formatDuration', () => {
  it.each([
    [42.4, '42 s'],
    [1_020, '17 min'],
    [11_100, '3 h 05 min'],
  ])('writes %p s as %p', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('formatScalingModel', () => {
  it('writes the phases, the usage, the costs and the quotas as Markdown tables', () => {
    const text = formatScalingModel(scalingModelOf(run, settings));
    expect(text).toContain('| **all** | **31** | | **48 min** | | **6,100** |');
    expect(text).toContain('| DynamoDB write request units | 780,000 | 30,000 |');
    expect(text).toContain("| SQS requests of Lambda's pollers (receive, delete) | 62 | 2 |");
    expect(text).toContain('| aggregator event source `maximum_concurrency` | 4 (Tally');
    expect(text).not.toContain('| Deployment |');
  });

  it('compares other deployments of the batch by wall time and cost', () => {
    const model = scalingModelOf(run, settings);
    const text = formatScalingModel(model, [{ deployment: 'the same again', model }]);
    expect(text).toContain(
      `| the same again | 48 min | $${model.costPerMillionRows.total.toFixed(4)} |`,
    );
  });
});
