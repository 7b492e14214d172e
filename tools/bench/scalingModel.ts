// The model behind docs/scaling.md: what a batch of 1,000,000,000 rows would take on AWS,
// computed from one measured `npm run bench -- --rows` run. Costs are estimates in dollars as
// floating point numbers: a model, not money that Tally handles.
import { CHUNK_SHARDS } from '@tally/aws-clients';
import { bucketCountOf } from '@tally/domain';
import type { AwsUsage, PipelineSettings } from '@tally/local-stack';
import type { InvocationPhase } from './invocationPhases';
import type { ScaleSizeResult } from './measureScale';

/** What the model reads from one measured end-to-end run of a partitioned aggregation. */
export interface MeasuredRun {
  readonly customers: number;
  readonly orders: number;
  readonly items: number;
  /** Bytes of the three CSV files. */
  readonly bytes: number;
  /** Each phase's invocations and summed durations. */
  readonly phases: Readonly<
    Record<InvocationPhase, { readonly invocations: number; readonly busyMs: number }>
  >;
  readonly partitions: number;
  /** Customer and error messages sent. */
  readonly messages: number;
  readonly usage: { readonly ingest: AwsUsage; readonly aggregator: AwsUsage };
}

/** One function as deployed: its size and how many invocations its event source runs at once. */
export interface FunctionDeployment {
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** The SQS event source mapping's `maximum_concurrency`. */
  readonly maximumConcurrency: number;
}

/** What the model assumes besides the measured run. */
export interface ModelSettings {
  /** Rows of the modelled batch, in the measured run's proportions of customers, orders, items. */
  readonly rows: number;
  readonly ingest: FunctionDeployment;
  readonly aggregator: FunctionDeployment;
  /** The aggregator's `TALLY_ROWS_PER_PARTITION`, and the most partitions there may be. */
  readonly rowsPerPartition: number;
  readonly maxPartitions: number;
  /** What an invocation keeps of its time to record its progress and hand on. */
  readonly reserveSeconds: number;
  /**
   * What the table serves at once: a new on-demand table's throughput, or the warm throughput
   * it was pre-warmed to.
   */
  readonly table: { readonly readUnitsPerSecond: number; readonly writeUnitsPerSecond: number };
  readonly prices: AwsPrices;
  readonly quotas: AwsQuotas;
}

/** On-demand list prices, in US dollars. */
export interface AwsPrices {
  readonly region: string;
  /** When these prices were read. */
  readonly asOf: string;
  readonly lambdaGbSecond: number;
  readonly lambdaRequest: number;
  readonly dynamodbWriteRequestUnit: number;
  readonly dynamodbReadRequestUnit: number;
  readonly sqsRequest: number;
  readonly s3GetRequest: number;
}

/**
 * us-east-1 on-demand list prices: Lambda x86 ($0.0000166667 per GB-s, $0.20 per million
 * requests), DynamoDB on-demand ($0.625 per million write and $0.125 per million read request
 * units, since 2024-11-01), SQS standard ($0.40 per million requests), S3 Standard GET ($0.0004
 * per 1,000). Free tiers are left out.
 */
export const US_EAST_1_PRICES: AwsPrices = {
  region: 'us-east-1',
  asOf: '2026-12-01',
  lambdaGbSecond: 0.0000166667,
  lambdaRequest: 0.2 / 1e6,
  dynamodbWriteRequestUnit: 0.625 / 1e6,
  dynamodbReadRequestUnit: 0.125 / 1e6,
  sqsRequest: 0.4 / 1e6,
  s3GetRequest: 0.0004 / 1e3,
};

/** The AWS quotas and scaling rates a large batch meets, at their defaults. */
export interface AwsQuotas {
  readonly lambdaConcurrentExecutions: number;
  /** The largest `maximum_concurrency` an SQS event source mapping takes. */
  readonly eventSourceMaximumConcurrency: number;
  /** An SQS event source starts at this many concurrent invocations… */
  readonly sqsEventSourceInitialConcurrency: number;
  /** …and adds at most this many per minute. */
  readonly sqsEventSourceScaleUpPerMinute: number;
  readonly lambdaScaleUpPer10Seconds: number;
  readonly sqsInFlightMessages: number;
  /** What a new on-demand table serves at once, and the default table-level quota. */
  readonly dynamodbNewTableWriteUnitsPerSecond: number;
  readonly dynamodbNewTableReadUnitsPerSecond: number;
  readonly dynamodbTableUnitsPerSecond: number;
  readonly dynamodbPartitionWriteUnitsPerSecond: number;
  readonly s3GetsPerPrefixPerSecond: number;
}

/** AWS's published defaults (Lambda, SQS, DynamoDB and S3 quotas pages). */
export const AWS_DEFAULT_QUOTAS: AwsQuotas = {
  lambdaConcurrentExecutions: 1_000,
  eventSourceMaximumConcurrency: 1_000,
  sqsEventSourceInitialConcurrency: 5,
  sqsEventSourceScaleUpPerMinute: 300,
  lambdaScaleUpPer10Seconds: 1_000,
  sqsInFlightMessages: 120_000,
  dynamodbNewTableWriteUnitsPerSecond: 4_000,
  dynamodbNewTableReadUnitsPerSecond: 12_000,
  dynamodbTableUnitsPerSecond: 40_000,
  dynamodbPartitionWriteUnitsPerSecond: 1_000,
  s3GetsPerPrefixPerSecond: 5_500,
};

/** One phase of the modelled batch. */
export interface ModelledPhase {
  readonly name: string;
  readonly invocations: number;
  /** Invocations running at once. */
  readonly concurrency: number;
  readonly wallSeconds: number;
  /** What sets the wall time: the invocations' work, or the table's throughput. */
  readonly boundBy: string;
  readonly gbSeconds: number;
}

/** One quota: what the batch needs of it, and what raises it. */
export interface QuotaUse {
  readonly quota: string;
  readonly limit: string;
  readonly needed: string;
  readonly met: boolean;
  readonly raisedBy: string;
}

export interface ScalingModel {
  readonly batch: {
    readonly rows: number;
    readonly customers: number;
    readonly orders: number;
    readonly items: number;
    readonly bytes: number;
    readonly partitions: number;
  };
  /** Measured per invocation-second on the local stack. */
  readonly rates: {
    readonly ingestRowsPerSecond: number;
    readonly ordersTaskRowsPerSecond: number;
    /** Customers joined per second of a phase-2 task, each with its message sent. */
    readonly customersTaskCustomersPerSecond: number;
    readonly messagesPerSecond: number;
  };
  readonly phases: readonly ModelledPhase[];
  readonly wallSeconds: number;
  readonly dynamodb: {
    readonly writeUnits: number;
    readonly readUnits: number;
    readonly requests: number;
  };
  readonly sqs: { readonly functionRequests: number; readonly eventSourceRequests: number };
  readonly s3GetRequests: number;
  readonly lambda: { readonly invocations: number; readonly gbSeconds: number };
  /** Dollars per 1,000,000 rows, by item, and in all. */
  readonly costPerMillionRows: {
    readonly lambdaCompute: number;
    readonly lambdaRequests: number;
    readonly dynamodbWrites: number;
    readonly dynamodbReads: number;
    readonly sqs: number;
    readonly s3: number;
    readonly total: number;
  };
  readonly quotas: readonly QuotaUse[];
  /** What the phases would ask of the table if it never slowed them: what to pre-warm it to. */
  readonly tableDemand: {
    readonly readUnitsPerSecond: number;
    readonly writeUnitsPerSecond: number;
  };
  readonly prices: AwsPrices;
}

/** What an invocation keeps of its time to record progress and hand on. */
const RESERVE_SECONDS = 30;

/**
 * The settings of a batch of `rows` rows deployed as pipeline.json says: the functions' sizes
 * and event sources, the rows per partition, the prices used and the default quotas.
 *
 * @example
 * scalingModelOf(run, modelSettingsOf(pipelineSettings, 1e9, MAX_BUCKETS));
 */
export const modelSettingsOf = (
  pipeline: PipelineSettings,
  rows: number,
  maxPartitions: number,
): ModelSettings => ({
  rows,
  ingest: pipeline.functions.ingest,
  aggregator: pipeline.functions.aggregator,
  rowsPerPartition: pipeline.limits.rowsPerPartition,
  maxPartitions,
  reserveSeconds: RESERVE_SECONDS,
  table: {
    readUnitsPerSecond: AWS_DEFAULT_QUOTAS.dynamodbNewTableReadUnitsPerSecond,
    writeUnitsPerSecond: AWS_DEFAULT_QUOTAS.dynamodbNewTableWriteUnitsPerSecond,
  },
  prices: US_EAST_1_PRICES,
  quotas: AWS_DEFAULT_QUOTAS,
});

/**
 * What the model takes from one size of a scale run: its automatic-P run, when it was measured
 * and aggregated in partitions; `undefined` otherwise.
 */
export const measuredRunOf = (size: ScaleSizeResult): MeasuredRun | undefined => {
  const run = size.automatic;
  if (!('wallMs' in run) || run.invocations.partitions < 2) return undefined;
  return {
    customers: size.customers,
    orders: size.orders,
    items: size.items,
    bytes: size.bytes,
    phases: run.invocations.phases,
    partitions: run.invocations.partitions,
    messages: run.outputMessages,
    usage: run.usage,
  };
};

const gigabytes = (memoryMb: number) => memoryMb / 1024;
const ceilPowerOfTwo = (value: number) => 2 ** Math.ceil(Math.log2(Math.max(1, value)));
const sumOf = (usage: AwsUsage, service: string) =>
  Object.entries(usage.requests)
    .filter(([operation]) => operation.startsWith(`${service}.`))
    .reduce((sum, [, count]) => sum + count, 0);
const count = (value: number) => Math.round(value).toLocaleString('en-US');

/**
 * Scales one measured run to `settings.rows` rows on AWS. Per-invocation rates come from the
 * run (rows of each phase over that phase's summed invocation time, on the local stack: a
 * shared 2-core machine, so slower than a Lambda vCPU); counts of requests and capacity units
 * scale with the rows. The phases:
 *
 * - ingest: each file is read in consecutive segments, one invocation after the other, so the
 *   three files are three chains; each invocation reads for its timeout less the reserve. The
 *   chains' writes also need the table's write throughput.
 * - phase 1 (`orders` tasks) and phase 2 (`customers` tasks, which send the messages): one task
 *   per partition, as many at once as the aggregator's event source allows, in waves; a task
 *   longer than an invocation goes on in the next. The aggregation's reads and writes also need
 *   the table's throughput.
 *
 * Throws a `RangeError` when the run had no partitioned tasks (nothing to take phase rates from).
 */
export const scalingModelOf = (run: MeasuredRun, settings: ModelSettings): ScalingModel => {
  const { phases, usage } = run;
  if (phases.orders.invocations === 0 || phases.customers.invocations === 0) {
    throw new RangeError(
      'the run has no partitioned tasks: measure a batch large enough for P > 1 (npm run bench -- --rows 20000000)',
    );
  }
  const measuredRows = run.customers + run.orders + run.items;
  const scale = settings.rows / measuredRows;
  const customers = run.customers * scale;
  const orders = run.orders * scale;
  const items = run.items * scale;
  const rates = {
    ingestRowsPerSecond: measuredRows / (phases.ingest.busyMs / 1000),
    ordersTaskRowsPerSecond: (run.orders + run.items) / (phases.orders.busyMs / 1000),
    customersTaskCustomersPerSecond: run.customers / (phases.customers.busyMs / 1000),
    messagesPerSecond: run.messages / (phases.customers.busyMs / 1000),
  };
  const { prices, quotas } = settings;

  const { table } = settings;
  const tableThroughput = `${count(table.readUnitsPerSecond)} RRU/s, ${count(table.writeUnitsPerSecond)} WRU/s`;

  // Ingest: three chains of consecutive segments; a table slower than their writes slows each.
  const ingestUsable = settings.ingest.timeoutSeconds - settings.reserveSeconds;
  const readingSeconds = [customers, orders, items].map((rows) => rows / rates.ingestRowsPerSecond);
  const ingestCompute = Math.max(...readingSeconds);
  const ingestWriteUnits = usage.ingest.dynamodbWriteUnits * scale;
  const ingestSlowdown = Math.max(1, ingestWriteUnits / table.writeUnitsPerSecond / ingestCompute);
  const chainSeconds = readingSeconds.map((seconds) => seconds * ingestSlowdown);
  const ingest: ModelledPhase = {
    name: 'ingest (3 files, each read in consecutive segments)',
    invocations: chainSeconds.reduce((sum, seconds) => sum + Math.ceil(seconds / ingestUsable), 0),
    concurrency: chainSeconds.length,
    wallSeconds: Math.max(...chainSeconds),
    boundBy:
      ingestSlowdown === 1
        ? 'the longest file: one invocation after the other'
        : `table writes (${count(table.writeUnitsPerSecond)} WRU/s)`,
    gbSeconds:
      chainSeconds.reduce((sum, seconds) => sum + seconds, 0) * gigabytes(settings.ingest.memoryMb),
  };

  // Aggregation: P tasks per phase, in waves of the event source's concurrency; a table slower
  // than the tasks' reads and writes slows every task alike.
  const partitions = Math.min(
    settings.maxPartitions,
    ceilPowerOfTwo(Math.ceil(settings.rows / settings.rowsPerPartition)),
  );
  const concurrency = Math.min(
    partitions,
    settings.aggregator.maximumConcurrency,
    quotas.lambdaConcurrentExecutions - chainSeconds.length,
  );
  const waves = Math.ceil(partitions / concurrency);
  const aggregatorUsable = settings.aggregator.timeoutSeconds - settings.reserveSeconds;
  const aggregatorGb = gigabytes(settings.aggregator.memoryMb);
  const orderTaskSeconds = (orders + items) / partitions / rates.ordersTaskRowsPerSecond;
  const customerTaskSeconds = customers / partitions / rates.customersTaskCustomersPerSecond;
  const aggregationCompute = waves * (orderTaskSeconds + customerTaskSeconds);
  const aggregationReadUnits = usage.aggregator.dynamodbReadUnits * scale;
  const aggregationWriteUnits = usage.aggregator.dynamodbWriteUnits * scale;
  const aggregationSlowdown = Math.max(
    1,
    aggregationReadUnits / table.readUnitsPerSecond / aggregationCompute,
    aggregationWriteUnits / table.writeUnitsPerSecond / aggregationCompute,
  );
  const taskPhase = (name: string, computeSeconds: number): ModelledPhase => {
    const taskSeconds = computeSeconds * aggregationSlowdown;
    return {
      name,
      invocations: partitions * Math.ceil(taskSeconds / aggregatorUsable),
      concurrency,
      wallSeconds: waves * taskSeconds,
      boundBy:
        aggregationSlowdown === 1
          ? `${waves} ${waves === 1 ? 'wave' : 'waves'} of ${concurrency} tasks of ${taskSeconds.toFixed(0)} s`
          : `table reads and writes (${tableThroughput})`,
      gbSeconds: partitions * taskSeconds * aggregatorGb,
    };
  };
  // The start and the finish do the same work at any size: as measured, per invocation.
  const fixedPhase = (name: string, phase: InvocationPhase): ModelledPhase => {
    const seconds = phases[phase].busyMs / 1000;
    return {
      name,
      invocations: phases[phase].invocations,
      concurrency: 1,
      wallSeconds: seconds / Math.max(1, phases[phase].invocations),
      boundBy: 'as measured',
      gbSeconds: seconds * aggregatorGb,
    };
  };
  const modelled = [
    ingest,
    fixedPhase('aggregation start (plans the partitions, sends the tasks)', 'aggregate'),
    taskPhase(`phase 1: ${partitions} order partitions (orders meet items)`, orderTaskSeconds),
    taskPhase(
      `phase 2: ${partitions} customer partitions (customers meet order totals; messages sent)`,
      customerTaskSeconds,
    ),
    fixedPhase('finish (the batch_summary)', 'finish'),
  ];

  const invocations = modelled.reduce((sum, phase) => sum + phase.invocations, 0);
  const gbSeconds = modelled.reduce((sum, phase) => sum + phase.gbSeconds, 0);
  const writeUnits = ingestWriteUnits + aggregationWriteUnits;
  const readUnits = (usage.ingest.dynamodbReadUnits + usage.aggregator.dynamodbReadUnits) * scale;
  const functionSqs = (sumOf(usage.ingest, 'SQS') + sumOf(usage.aggregator, 'SQS')) * scale;
  // Lambda's pollers receive each batch (of one message here) and delete it: two requests.
  const eventSourceSqs = 2 * invocations;
  const s3GetRequests = (usage.ingest.requests['S3.GET'] ?? 0) * scale;
  const millions = settings.rows / 1e6;
  const cost = {
    lambdaCompute: (gbSeconds * prices.lambdaGbSecond) / millions,
    lambdaRequests: (invocations * prices.lambdaRequest) / millions,
    dynamodbWrites: (writeUnits * prices.dynamodbWriteRequestUnit) / millions,
    dynamodbReads: (readUnits * prices.dynamodbReadRequestUnit) / millions,
    sqs: ((functionSqs + eventSourceSqs) * prices.sqsRequest) / millions,
    s3: (s3GetRequests * prices.s3GetRequest) / millions,
  };
  // What the invocations would ask of the table if it never slowed them: the throughput to
  // pre-warm for.
  const ingestWriteDemand = ingestWriteUnits / ingestCompute;
  const aggregationWriteDemand = aggregationWriteUnits / aggregationCompute;
  const aggregationReadDemand = aggregationReadUnits / aggregationCompute;
  const writeDemand = Math.max(ingestWriteDemand, aggregationWriteDemand);
  const wantedConcurrency = partitions + chainSeconds.length;
  const itemBuckets = bucketCountOf((run.bytes * scale * run.items) / measuredRows);
  const perChunkKey = ingestWriteDemand / chainSeconds.length / (itemBuckets * CHUNK_SHARDS);
  const rampSeconds =
    (60 * Math.max(0, concurrency - quotas.sqsEventSourceInitialConcurrency)) /
    quotas.sqsEventSourceScaleUpPerMinute;

  const quotaUses: QuotaUse[] = [
    {
      quota: 'aggregator event source `maximum_concurrency`',
      limit: `${settings.aggregator.maximumConcurrency} (Tally's setting; AWS allows 2–${count(quotas.eventSourceMaximumConcurrency)})`,
      needed: `${partitions} tasks per phase`,
      met: settings.aggregator.maximumConcurrency < partitions,
      raisedBy:
        '`functions.aggregator.maximumConcurrency` in pipeline.json (Terraform `aggregator_maximum_concurrency`)',
    },
    {
      quota: 'Lambda concurrent executions (account, per Region)',
      limit: count(quotas.lambdaConcurrentExecutions),
      needed: `${wantedConcurrency} (${partitions} tasks + ${chainSeconds.length} ingest chains)`,
      met: wantedConcurrency > quotas.lambdaConcurrentExecutions,
      raisedBy: 'Service Quotas: Lambda "Concurrent executions"',
    },
    {
      quota: 'SQS event source scale-up',
      limit: `${quotas.sqsEventSourceInitialConcurrency} at once, +${quotas.sqsEventSourceScaleUpPerMinute} per minute`,
      needed: `${concurrency} at once: reached after ${rampSeconds.toFixed(0)} s`,
      met: rampSeconds > 0,
      raisedBy: 'fixed by AWS; only the first wave waits',
    },
    {
      quota: 'Lambda scaling rate (per function)',
      limit: `${count(quotas.lambdaScaleUpPer10Seconds)} environments per 10 s`,
      needed: `${concurrency}`,
      met: concurrency > quotas.lambdaScaleUpPer10Seconds,
      raisedBy: 'fixed by AWS',
    },
    {
      quota: 'SQS messages in flight (standard queue)',
      limit: count(quotas.sqsInFlightMessages),
      needed: `${concurrency} tasks on the aggregation queue, ${chainSeconds.length} on the ingest queue`,
      met: concurrency > quotas.sqsInFlightMessages,
      raisedBy: 'AWS Support (the output queue is the consumer’s: it reads as fast as it likes)',
    },
    {
      quota: 'DynamoDB write throughput of a new on-demand table',
      limit: `${count(quotas.dynamodbNewTableWriteUnitsPerSecond)} WRU/s at once (table quota ${count(quotas.dynamodbTableUnitsPerSecond)})`,
      needed: `${count(ingestWriteDemand)} WRU/s while ingesting, ${count(aggregationWriteDemand)} while aggregating`,
      met: writeDemand > quotas.dynamodbNewTableWriteUnitsPerSecond,
      raisedBy:
        'warm throughput on the table (pre-warm, `aws_dynamodb_table` `warm_throughput`); beyond 40,000: Service Quotas "Table-level write throughput limit"',
    },
    {
      quota: 'DynamoDB read throughput of a new on-demand table',
      limit: `${count(quotas.dynamodbNewTableReadUnitsPerSecond)} RRU/s at once (table quota ${count(quotas.dynamodbTableUnitsPerSecond)})`,
      needed: `${count(aggregationReadDemand)} RRU/s while aggregating`,
      met: aggregationReadDemand > quotas.dynamodbNewTableReadUnitsPerSecond,
      raisedBy:
        'warm throughput on the table; beyond 40,000: Service Quotas "Table-level read throughput limit"',
    },
    {
      quota: 'DynamoDB partition throughput',
      limit: `${count(quotas.dynamodbPartitionWriteUnitsPerSecond)} WRU/s per partition key's partition`,
      needed: `${perChunkKey.toFixed(1)} WRU/s per chunk key (the items file's chunks spread over ${itemBuckets} buckets × ${CHUNK_SHARDS} shards)`,
      met: perChunkKey >= quotas.dynamodbPartitionWriteUnitsPerSecond,
      raisedBy: 'the key design (buckets and shards); not a quota',
    },
  ];

  return {
    batch: {
      rows: settings.rows,
      customers,
      orders,
      items,
      bytes: run.bytes * scale,
      partitions,
    },
    rates,
    phases: modelled,
    wallSeconds: modelled.reduce((sum, phase) => sum + phase.wallSeconds, 0),
    dynamodb: {
      writeUnits,
      readUnits,
      requests: (sumOf(usage.ingest, 'DynamoDB') + sumOf(usage.aggregator, 'DynamoDB')) * scale,
    },
    sqs: { functionRequests: functionSqs, eventSourceRequests: eventSourceSqs },
    s3GetRequests,
    lambda: { invocations, gbSeconds },
    costPerMillionRows: {
      ...cost,
      total: Object.values(cost).reduce((sum, value) => sum + value, 0),
    },
    quotas: quotaUses,
    tableDemand: { readUnitsPerSecond: aggregationReadDemand, writeUnitsPerSecond: writeDemand },
    prices,
  };
};

/** A duration as people read it: `42 s`, `17 min`, `3 h 05 min`. */
export const formatDuration = (seconds: number): string => {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
};

const dollars = (value: number) => `$${value.toFixed(value < 0.01 ? 5 : 4)}`;

/** Another deployment of the same batch, compared by its wall time and cost. */
export interface ModelComparison {
  readonly deployment: string;
  readonly model: ScalingModel;
}

/**
 * The model as the Markdown tables of docs/scaling.md: the batch and the measured rates, each
 * phase, the units and requests, the cost per million rows and the quotas met; then the
 * `comparisons`' wall times and costs.
 */
export const formatScalingModel = (
  model: ScalingModel,
  comparisons: readonly ModelComparison[] = [],
): string => {
  const { batch, rates, prices } = model;
  const perMillion = (value: number) => count(value / (batch.rows / 1e6));
  const lines = [
    `Batch: ${count(batch.rows)} rows (${count(batch.customers)} customers, ${count(batch.orders)} orders, ${count(batch.items)} items; ${(batch.bytes / 1e9).toFixed(1)} GB of CSV), P = ${batch.partitions} partitions.`,
    '',
    `Measured per invocation-second on the local stack: ingest ${count(rates.ingestRowsPerSecond)} rows/s; a phase-1 task ${count(rates.ordersTaskRowsPerSecond)} order and item rows/s; a phase-2 task ${count(rates.customersTaskCustomersPerSecond)} customers/s, sending ${count(rates.messagesPerSecond)} messages/s.`,
    '',
    '| Phase | Invocations | At once | Wall time | Bound by | GB-s |',
    '|---|---:|---:|---:|---|---:|',
    ...model.phases.map(
      (phase) =>
        `| ${phase.name} | ${count(phase.invocations)} | ${phase.concurrency} | ${formatDuration(phase.wallSeconds)} | ${phase.boundBy} | ${count(phase.gbSeconds)} |`,
    ),
    `| **all** | **${count(model.lambda.invocations)}** | | **${formatDuration(model.wallSeconds)}** | | **${count(model.lambda.gbSeconds)}** |`,
    ...(comparisons.length === 0
      ? []
      : [
          '',
          '| Deployment | Wall time | Cost per 1,000,000 rows |',
          '|---|---:|---:|',
          ...comparisons.map(
            ({ deployment, model: compared }) =>
              `| ${deployment} | ${formatDuration(compared.wallSeconds)} | ${dollars(compared.costPerMillionRows.total)} |`,
          ),
        ]),
    '',
    '| Usage | For the batch | Per 1,000,000 rows |',
    '|---|---:|---:|',
    `| DynamoDB write request units | ${count(model.dynamodb.writeUnits)} | ${perMillion(model.dynamodb.writeUnits)} |`,
    `| DynamoDB read request units | ${count(model.dynamodb.readUnits)} | ${perMillion(model.dynamodb.readUnits)} |`,
    `| DynamoDB requests | ${count(model.dynamodb.requests)} | ${perMillion(model.dynamodb.requests)} |`,
    `| SQS requests of the functions (sends) | ${count(model.sqs.functionRequests)} | ${perMillion(model.sqs.functionRequests)} |`,
    `| SQS requests of Lambda's pollers (receive, delete) | ${count(model.sqs.eventSourceRequests)} | ${perMillion(model.sqs.eventSourceRequests)} |`,
    `| S3 GET requests | ${count(model.s3GetRequests)} | ${perMillion(model.s3GetRequests)} |`,
    `| Lambda invocations | ${count(model.lambda.invocations)} | ${perMillion(model.lambda.invocations)} |`,
    `| Lambda GB-s | ${count(model.lambda.gbSeconds)} | ${perMillion(model.lambda.gbSeconds)} |`,
    '',
    `| Cost per 1,000,000 rows (${prices.region} on-demand, prices as of ${prices.asOf}) | US$ |`,
    '|---|---:|',
    `| Lambda compute ($${prices.lambdaGbSecond} per GB-s, x86) | ${dollars(model.costPerMillionRows.lambdaCompute)} |`,
    `| Lambda requests ($${(prices.lambdaRequest * 1e6).toFixed(2)} per million) | ${dollars(model.costPerMillionRows.lambdaRequests)} |`,
    `| DynamoDB writes ($${(prices.dynamodbWriteRequestUnit * 1e6).toFixed(3)} per million WRU) | ${dollars(model.costPerMillionRows.dynamodbWrites)} |`,
    `| DynamoDB reads ($${(prices.dynamodbReadRequestUnit * 1e6).toFixed(3)} per million RRU) | ${dollars(model.costPerMillionRows.dynamodbReads)} |`,
    `| SQS requests ($${(prices.sqsRequest * 1e6).toFixed(2)} per million) | ${dollars(model.costPerMillionRows.sqs)} |`,
    `| S3 GET ($${(prices.s3GetRequest * 1e3).toFixed(4)} per 1,000) | ${dollars(model.costPerMillionRows.s3)} |`,
    `| **total** | **${dollars(model.costPerMillionRows.total)}** |`,
    '',
    '| Quota | Limit | This batch needs | Met | Raised by |',
    '|---|---|---|---|---|',
    ...model.quotas.map(
      (quota) =>
        `| ${quota.quota} | ${quota.limit} | ${quota.needed} | ${quota.met ? '**yes**' : 'no'} | ${quota.raisedBy} |`,
    ),
  ];
  return lines.join('\n');
};
