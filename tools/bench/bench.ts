// `npm run bench -- [options]`: generates a seeded batch in a temporary folder and measures
// Tally on it (compute path against the csv-parser floor, cost figures, Lambda bundles and cold
// init, ingest's peak memory, end to end on the local stack); with `--rows`, end to end at
// larger sizes instead (P = 1 and the automatic P, peak RSS of every Lambda process).
// `--help` lists the options.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defineCommand, executeCommandAsProcess, UsageError, writeText } from '@tally/command-line';
import type { CommandRunOf } from '@tally/command-line';
import { functionConcurrency, pipelineSettings } from '@tally/local-stack';
import { createRowValidators } from '@tally/schema';
import { expectedErrorMessageCount, expectedReferentialProblems } from '../generate/expectedOutput';
import { BATCH_SHAPE_OPTIONS } from '../generate/batchShapeOptions';
import { generateBatch } from '../generate/generateBatch';
import { scaleRunSizes } from './batchSizeOfRows';
import type { ComputePathRun, CsvParserRun } from './computePath';
import { runComputePath, runCsvParserFloor } from './computePath';
import { formatTable } from './formatTable';
import type { TableRow } from './formatTable';
import { buildIngestMemoryProbe, measureIngestMemory } from './ingestPeakMemory';
import { LAMBDA_APPS, measureLambda } from './lambdaFigures';
import { measureEndToEnd } from './measureEndToEnd';
import type { EndToEndResult } from './measureEndToEnd';
import { measureScaleSize, SINGLE_PARTITION_ROWS } from './measureScale';
import type { ScaleSizeResult } from './measureScale';
import { median } from './median';
import { scaleFiguresOf } from './scaleFigures';
import type { ScaleRunFigures } from './scaleFigures';
import { formatScalingModel } from './scalingModel';
import { MODELLED_ROWS, scalingModelOfSizes } from './scalingModelOfSizes';
import { stagingCostsOf } from './stagingCosts';

const workspaceRoot = resolve(__dirname, '..', '..');
const BATCH_ID = '2024-06-01';
/** A typical upload version: an 18-digit S3 sequencer and a 32-digit eTag. */
const VERSION = '0065F1A2B3C4D5E6F7-9b2cf535f27731c974343645a3985328';
const COLD_INIT_RUNS = 5;
const SMALL_ITEMS = 100_000;
const MIB = 1024 * 1024;

const TARGETS = {
  computeToFloorRatio: 0.5,
  writeUnitsPerMillionRows: 100_000,
  bundleBytes: 1_000_000,
  coldInitMs: 150,
  ingestRssBytes: 256 * MIB,
  ingestRssGrowth: 1.5,
  lambdaRssBytes: 512 * MIB,
  lambdaRssGrowth: 1.5,
} as const;
/** The end-to-end timeout by default: 150 s, or 1 s per 10,000 rows for larger batches. */
const E2E_TIMEOUT_SECONDS = 150;
const ROWS_PER_TIMEOUT_SECOND = 10_000;

const benchSpec = defineCommand({
  name: 'npm run bench --',
  summary:
    "Generates a seeded batch in a temporary folder and measures Tally on it: the compute path\nagainst the csv-parser floor, cost figures, the Lambda bundles, ingest's peak memory, and end\nto end on the local stack.",
  details:
    'With --rows, measures batches of those sizes end to end instead (1 customer : 5 orders : 20\nitems), each twice on a fresh local stack: at the automatic P and at P = 1\n(TALLY_ROWS_PER_PARTITION very high); a size above 2,000,000 adds a 2,000,000-row run, the\nreference that memory and time growth are read against.\n\nstderr gets progress and the table; stdout exactly one line, the report as JSON. Targets\nmissed do not fail the run.',
  positionals: [],
  options: {
    ...BATCH_SHAPE_OPTIONS,
    runs: {
      type: 'number',
      valueName: 'n',
      min: 1,
      default: 5,
      description: 'runs of the compute path and its floor (medians)',
    },
    rows: {
      type: 'string',
      valueName: 'n[,n...]',
      multiple: true,
      description: 'measure batches of these sizes end to end instead (see above)',
    },
    model: {
      type: 'string',
      valueName: 'report.json',
      description: `print the ${MODELLED_ROWS.toLocaleString('en-US')}-row AWS model of a saved --rows report, measuring nothing`,
    },
    json: { type: 'string', valueName: 'file', description: 'also write the report to this file' },
    'skip-e2e': { type: 'boolean', description: 'skip the end-to-end run on the local stack' },
    'e2e-timeout': {
      type: 'number',
      valueName: 'seconds',
      min: 1,
      description: 'give up each end-to-end run after this long (default 150, or rows / 10,000)',
    },
    keep: { type: 'boolean', description: 'keep the temporary folder (its path goes to stderr)' },
  },
  exitCodes: [
    [0, 'measured'],
    [1, 'the bench failed'],
  ],
});

const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const perSecond = (rows: number, ms: number) => rows / (ms / 1000);
const thousands = (value: number) => Math.round(value).toLocaleString('en-US');
const mebibytes = (bytes: number) => `${(bytes / MIB).toFixed(1)} MiB`;

interface PipelineJson {
  readonly limits: { readonly maxLineBytes: number; readonly maxRowErrors: number };
  readonly table: { readonly ttlDays: number };
  readonly functions: { readonly ingest: { readonly memoryMb: number } };
}

const endToEndRows = (endToEnd: EndToEndResult): TableRow[] => {
  if ('reason' in endToEnd) {
    return [{ label: endToEnd.status, value: endToEnd.reason.split('\n')[0] ?? '' }];
  }
  return [
    {
      label: `first upload to last output message (${endToEnd.status})`,
      value: `${(endToEnd.wallMs / 1000).toFixed(1)} s  ${thousands(endToEnd.rowsPerSecond)} rows/s`,
    },
    {
      label: 'output messages received / expected',
      value: `${thousands(endToEnd.outputMessages)} / ${thousands(endToEnd.expectedMessages)}`,
    },
    {
      label: 'customer messages equal expected',
      value: endToEnd.customerMessagesMatch ? 'yes' : 'NO',
    },
    {
      label: 'peak RSS per Lambda process, ingest / aggregator',
      value: `${mebibytes(endToEnd.functions.ingest.peakRssBytes)} / ${mebibytes(endToEnd.functions.aggregator.peakRssBytes)}`,
    },
    {
      label: 'peak RSS: largest Lambda process / whole tree (sampled)',
      value: `${mebibytes(endToEnd.peakLambdaRssBytes)} / ${mebibytes(endToEnd.peakTreeRssBytes)}`,
    },
  ];
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** One run of a scale size as a table row: wall time, P, exactness, each function's peak RSS. */
const scaleRunValue = (run: ScaleRunFigures): string => {
  if (run.wallMs === undefined) return `${run.status}: ${run.reason ?? ''}`;
  const peaks = run.peakRssBytes
    ? `, peak RSS ${mebibytes(run.peakRssBytes.ingest)} / ${mebibytes(run.peakRssBytes.aggregator)}`
    : '';
  return `${seconds(run.wallMs)}  P = ${run.partitions ?? '?'}, ${run.exact ? 'exact' : 'NOT EXACT'}${run.status === 'timed-out' ? ' (timed out)' : ''}${peaks}`;
};

/** The scale section: each size's two runs, the peak per process and the growth. */
const scaleTable = (sizes: readonly ScaleSizeResult[], seed: number): TableRow[] => {
  const figures = scaleFiguresOf(sizes);
  const concurrency = `${functionConcurrency('ingest', pipelineSettings)} ingest / ${functionConcurrency('aggregator', pipelineSettings)} aggregator processes at once`;
  const reference = sizes[0]?.rows ?? 0;
  return [
    {
      label: `Scale: end to end on the local stack (seed ${seed}, ${concurrency}; peak RSS ingest / aggregator)`,
      value: '',
    },
    ...figures.sizes.flatMap(
      ({ rows, automatic, single, singleToAutomatic }, index): TableRow[] => [
        {
          label: `${thousands(rows)} rows (${((sizes[index]?.bytes ?? 0) / 1e6).toFixed(0)} MB), automatic P`,
          value: scaleRunValue(automatic),
        },
        {
          label: `${thousands(rows)} rows, P = 1${singleToAutomatic === undefined ? '' : ` (${singleToAutomatic.toFixed(2)}x the automatic P's time)`}`,
          value: scaleRunValue(single),
        },
      ],
    ),
    {
      label: 'largest peak RSS of a Lambda process, automatic P',
      value: mebibytes(figures.largestProcessRssBytes),
      target: '< 512 MiB',
      met:
        figures.largestProcessRssBytes > 0 &&
        figures.largestProcessRssBytes < TARGETS.lambdaRssBytes,
    },
    ...(figures.rssGrowth === undefined
      ? []
      : [
          {
            label: `its growth from ${thousands(reference)} to ${thousands(sizes.at(-1)?.rows ?? 0)} rows`,
            value: `${figures.rssGrowth.toFixed(2)}x`,
            target: '<= 1.5x',
            met: figures.rssGrowth <= TARGETS.lambdaRssGrowth,
          },
        ]),
    ...(figures.wallGrowth === undefined
      ? []
      : [
          {
            label: `wall time growth, automatic P, for ${((sizes.at(-1)?.rows ?? 0) / reference).toFixed(0)}x the rows`,
            value: `${figures.wallGrowth.toFixed(2)}x`,
          },
        ]),
  ];
};

/** `--model`: the model of a saved `--rows` report, on stdout as Markdown. */
const printModel = async (path: string, io: CommandRunOf<typeof benchSpec>['io']) => {
  const report = JSON.parse(await readFile(resolve(io.cwd, path), 'utf8')) as {
    scale?: { sizes?: ScaleSizeResult[] };
  };
  const model = scalingModelOfSizes(report.scale?.sizes ?? []);
  if (model === undefined) {
    throw new UsageError(`${path} holds no --rows size aggregated in partitions`);
  }
  await writeText(
    io.stdout,
    `Measured at ${thousands(model.fromRows)} rows.\n\n${formatScalingModel(model.raised, model.comparisons)}\n`,
  );
  return 0;
};

interface ScaleRunArguments {
  readonly sizes: readonly number[];
  readonly seed: number;
  readonly maxRowErrors: number;
  readonly timeoutSeconds: number | undefined;
  readonly workDir: string;
}

/** `--rows`: every size end to end at the automatic P and at P = 1. */
const benchScale = async (run: ScaleRunArguments) => {
  const sizes: ScaleSizeResult[] = [];
  for (const rows of run.sizes) {
    sizes.push(
      await measureScaleSize({
        rows,
        seed: run.seed,
        batchId: BATCH_ID,
        maxRowErrors: run.maxRowErrors,
        workDir: run.workDir,
        timeoutMs:
          (run.timeoutSeconds ??
            Math.max(E2E_TIMEOUT_SECONDS, Math.ceil(rows / ROWS_PER_TIMEOUT_SECOND))) * 1000,
        log: progress,
      }),
    );
  }
  const model = scalingModelOfSizes(sizes);
  return {
    model,
    report: {
      model: model && {
        fromRows: model.fromRows,
        raised: model.raised,
        comparisons: model.comparisons,
      },
      scale: {
        seed: run.seed,
        singlePartitionRows: SINGLE_PARTITION_ROWS,
        concurrency: {
          ingest: functionConcurrency('ingest', pipelineSettings),
          aggregator: functionConcurrency('aggregator', pipelineSettings),
        },
        sizes,
        figures: scaleFiguresOf(sizes),
      },
    },
    table: scaleTable(sizes, run.seed),
  };
};

const bench = async ({ options: args, io }: CommandRunOf<typeof benchSpec>): Promise<number> => {
  if (args.model !== undefined) return printModel(args.model, io);
  const started = performance.now();
  const pipeline = JSON.parse(
    await readFile(join(workspaceRoot, 'pipeline.json'), 'utf8'),
  ) as PipelineJson;
  const settings = {
    batchId: BATCH_ID,
    maxLineBytes: pipeline.limits.maxLineBytes,
    maxRowErrors: pipeline.limits.maxRowErrors,
  };
  const { seed, runs } = args;
  const errorRate = args['error-rate'];
  let scaleSizes: number[] = [];
  try {
    scaleSizes = scaleRunSizes(args.rows);
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  const workDir = await mkdtemp(join(tmpdir(), 'tally-bench-'));
  try {
    if (scaleSizes.length > 0) {
      const { model, report, table } = await benchScale({
        sizes: scaleSizes,
        seed,
        maxRowErrors: settings.maxRowErrors,
        timeoutSeconds: args['e2e-timeout'],
        workDir,
      });
      const benchMs = performance.now() - started;
      const modelText =
        model === undefined
          ? 'No size was aggregated in partitions: no AWS model.'
          : `AWS model of ${thousands(MODELLED_ROWS)} rows, from the ${thousands(model.fromRows)}-row run (npm run bench -- --model <report.json> prints it again):\n\n${formatScalingModel(model.raised, model.comparisons)}`;
      process.stderr.write(
        `\n${formatTable(table)}\n\n${modelText}\n\nbench took ${(benchMs / 1000).toFixed(0)} s\n`,
      );
      const json = JSON.stringify({ ...report, benchMs });
      if (args.json !== undefined) await writeFile(resolve(io.cwd, args.json), `${json}\n`);
      await writeText(io.stdout, `${json}\n`);
      return 0;
    }
    progress(`generating the batch (seed ${seed}) in ${workDir}`);
    const batchDir = join(workDir, 'batch');
    await mkdir(batchDir);
    const expected = await generateBatch({
      outDir: batchDir,
      customers: args.customers,
      orders: args.orders,
      items: args.items,
      seed,
      errorRate,
    });
    const files = {
      customers: expected.files.customers.path,
      orders: expected.files.orders.path,
      items: expected.files.items.path,
    };
    const batchBytes = Object.values(expected.files).reduce((sum, file) => sum + file.bytes, 0);

    // a. Compute path and its floor, interleaved so both see the same machine weather.
    const validators = createRowValidators();
    const floorRuns: CsvParserRun[] = [];
    const computeRuns: ComputePathRun[] = [];
    for (let run = 1; run <= runs; run++) {
      floorRuns.push(await runCsvParserFloor(files, settings.maxLineBytes));
      computeRuns.push(await runComputePath(files, validators, settings));
      progress(
        `run ${run}/${runs}: csv-parser ${floorRuns.at(-1)?.totalMs.toFixed(0)} ms, compute path ${computeRuns.at(-1)?.totalMs.toFixed(0)} ms`,
      );
    }
    const compute = computeRuns.at(-1) as ComputePathRun;
    const rows = compute.rows;
    const floorMs = median(floorRuns.map((run) => run.totalMs));
    const computeMs = median(computeRuns.map((run) => run.totalMs));
    const computeToFloorRatio = floorMs / computeMs;
    const computeMatchesExpected =
      compute.customerMessages === expected.customers.length &&
      compute.aggregationErrors === expectedReferentialProblems(expected);

    // b. Cost figures of the staged batch.
    const expiresAt = Math.floor(Date.now() / 1000) + pipeline.table.ttlDays * 86_400;
    const costs = stagingCostsOf(
      { batchId: BATCH_ID, version: VERSION, expiresAt },
      compute.chunks,
      {
        ingestErrors: compute.ingestErrors,
        aggregatorMessages: compute.customerMessages + compute.aggregationErrors,
      },
    );
    const perMillionRows = (value: number) => (value * 1_000_000) / rows;

    // c. Lambda bundles and ingest's memory.
    progress('measuring the Lambda bundles');
    const lambdas = LAMBDA_APPS.map((app) =>
      measureLambda(workspaceRoot, app, workDir, COLD_INIT_RUNS),
    );
    progress('measuring ingest peak memory');
    const smallDir = join(workDir, 'small');
    await mkdir(smallDir);
    const small = await generateBatch({
      outDir: smallDir,
      customers: 5_000,
      orders: 25_000,
      items: SMALL_ITEMS,
      seed,
    });
    const ingestMemoryMb = pipeline.functions.ingest.memoryMb;
    const probe = await buildIngestMemoryProbe(workspaceRoot, workDir);
    const memorySmall = await measureIngestMemory(probe, small.files.items.path, ingestMemoryMb);
    const memoryLarge = await measureIngestMemory(probe, expected.files.items.path, ingestMemoryMb);
    const memoryGrowth = memoryLarge.maxRssBytes / memorySmall.maxRssBytes;

    // d. End to end.
    const expectedMessages =
      expected.customers.length + expectedErrorMessageCount(expected, settings.maxRowErrors);
    let endToEnd: EndToEndResult;
    if (args['skip-e2e']) {
      endToEnd = { status: 'skipped', reason: '--skip-e2e' };
    } else {
      progress('end to end on the local stack');
      endToEnd = await measureEndToEnd(
        {
          batchId: BATCH_ID,
          expected,
          expectedMessages,
          timeoutMs: (args['e2e-timeout'] ?? E2E_TIMEOUT_SECONDS) * 1000,
          log: progress,
        },
        Object.values(expected.files),
      );
    }

    const report = {
      batch: {
        seed,
        errorRate,
        rows,
        bytes: batchBytes,
        customers: expected.files.customers.rows,
        orders: expected.files.orders.rows,
        items: expected.files.items.rows,
      },
      computePath: {
        runs,
        medianMs: computeMs,
        rowsPerSecond: perSecond(rows, computeMs),
        ingestMs: median(computeRuns.map((run) => run.ingestMs)),
        aggregateMs: median(computeRuns.map((run) => run.aggregateMs)),
        runsMs: computeRuns.map((run) => run.totalMs),
        matchesExpected: computeMatchesExpected,
      },
      csvParserFloor: {
        medianMs: floorMs,
        rowsPerSecond: perSecond(rows, floorMs),
        runsMs: floorRuns.map((run) => run.totalMs),
      },
      computeToFloorRatio,
      costs: {
        ...costs,
        perMillionRows: {
          batchWriteItemCalls: perMillionRows(costs.batchWriteItemCalls),
          writeUnits: perMillionRows(costs.writeUnits),
          readUnits: perMillionRows(costs.readUnits),
          queryCalls: perMillionRows(costs.queryCalls),
          sendMessageBatchCalls: perMillionRows(costs.sendMessageBatchCalls),
          s3GetObjectCalls: perMillionRows(costs.s3GetObjectCalls),
        },
      },
      lambdas,
      ingestMemory: { small: memorySmall, large: memoryLarge, growth: memoryGrowth },
      endToEnd,
      benchMs: 0,
    };
    report.benchMs = performance.now() - started;

    const table: TableRow[] = [
      {
        label: `Batch: ${thousands(rows)} rows, ${(batchBytes / 1e6).toFixed(1)} MB, seed ${seed}, error rate ${errorRate}`,
        value: '',
      },
      { label: 'Compute path (median of ' + runs + ')', value: '' },
      {
        label: 'csv-parser floor',
        value: `${thousands(perSecond(rows, floorMs))} rows/s  ${(floorMs / 1000).toFixed(2)} s`,
      },
      {
        label: 'parse+validate+stage, decode+aggregate+serialize',
        value: `${thousands(perSecond(rows, computeMs))} rows/s  ${(computeMs / 1000).toFixed(2)} s`,
      },
      {
        label: '  of which ingest / aggregation',
        value: `${(report.computePath.ingestMs / 1000).toFixed(2)} s / ${(report.computePath.aggregateMs / 1000).toFixed(2)} s`,
      },
      {
        label: 'compute / floor throughput',
        value: `${(computeToFloorRatio * 100).toFixed(0)} %`,
        target: '>= 50 %',
        met: computeToFloorRatio >= TARGETS.computeToFloorRatio,
      },
      {
        label: 'output equals expected result',
        value: computeMatchesExpected ? 'yes' : 'NO',
      },
      { label: 'Costs (batch | per 1,000,000 rows)', value: '' },
      {
        label: `chunks (largest item ${thousands(costs.largestChunkItemBytes)} B)`,
        value: `${costs.chunks}`,
      },
      {
        label: 'DynamoDB BatchWriteItem calls',
        value: `${costs.batchWriteItemCalls} | ${perMillionRows(costs.batchWriteItemCalls).toFixed(1)}`,
      },
      {
        label: `DynamoDB write units (chunks ${thousands(costs.chunkWriteUnits)} + ${costs.stateWrites} state writes)`,
        value: `${thousands(costs.writeUnits)} | ${thousands(perMillionRows(costs.writeUnits))}`,
        target: '<= 100,000 / 1M rows',
        met: perMillionRows(costs.writeUnits) <= TARGETS.writeUnitsPerMillionRows,
      },
      {
        label: `DynamoDB read units (${costs.queryCalls} Query pages + ${costs.stateReads} GetItem, consistent)`,
        value: `${thousands(costs.readUnits)} | ${thousands(perMillionRows(costs.readUnits))}`,
      },
      {
        label: `SQS SendMessageBatch calls (${thousands(costs.outputMessages)} messages)`,
        value: `${thousands(costs.sendMessageBatchCalls)} | ${thousands(perMillionRows(costs.sendMessageBatchCalls))}`,
      },
      {
        label: 'S3 GetObject calls',
        value: `${costs.s3GetObjectCalls} | ${perMillionRows(costs.s3GetObjectCalls).toFixed(2)}`,
      },
      { label: 'Lambdas', value: '' },
      ...lambdas.flatMap((lambda): TableRow[] => [
        {
          label: `${lambda.app} bundle`,
          value: `${(lambda.bundleBytes / 1_000_000).toFixed(3)} MB`,
          target: '< 1 MB',
          met: lambda.bundleBytes < TARGETS.bundleBytes,
        },
        {
          label: `${lambda.app} cold init (median of ${COLD_INIT_RUNS})`,
          value: `${lambda.coldInitMs.toFixed(0)} ms`,
          target: '< 150 ms',
          met: lambda.coldInitMs < TARGETS.coldInitMs,
        },
      ]),
      ...[memorySmall, memoryLarge].map((memory): TableRow => ({
        label: `ingest peak RSS, ${thousands(memory.rows)} items (${(memory.ms / 1000).toFixed(1)} s)`,
        value: mebibytes(memory.maxRssBytes),
        target: '< 256 MiB',
        met: memory.maxRssBytes < TARGETS.ingestRssBytes,
      })),
      {
        label: `ingest peak RSS growth, ${(memoryLarge.rows / memorySmall.rows).toFixed(1)}x the rows`,
        value: `${memoryGrowth.toFixed(2)}x`,
        target: '<= 1.5x',
        met: memoryGrowth <= TARGETS.ingestRssGrowth,
      },
      { label: 'End to end (local stack)', value: '' },
      ...endToEndRows(endToEnd),
    ];
    process.stderr.write(
      `\n${formatTable(table)}\n\nbench took ${(report.benchMs / 1000).toFixed(0)} s\n`,
    );
    const json = JSON.stringify(report);
    if (args.json !== undefined) await writeFile(resolve(io.cwd, args.json), `${json}\n`);
    await writeText(io.stdout, `${json}\n`);
    return 0;
  } finally {
    if (args.keep) progress(`kept ${workDir}`);
    else await rm(workDir, { recursive: true, force: true });
  }
};

executeCommandAsProcess(benchSpec, bench);
