import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { expectedErrorMessageCount } from '../generate/expectedOutput';
import { generateBatch } from '../generate/generateBatch';
import { batchSizeOfRows } from './batchSizeOfRows';
import type { BatchSize } from './batchSizeOfRows';
import { measureEndToEnd } from './measureEndToEnd';
import type { EndToEndResult } from './measureEndToEnd';

/**
 * `TALLY_ROWS_PER_PARTITION` for the single-partition run: more rows than any batch has, so the
 * aggregation takes its P = 1 path whatever the batch's size.
 */
export const SINGLE_PARTITION_ROWS = 1_000_000_000_000;

/** One batch size of a scale run, measured end to end at the automatic P and at P = 1. */
export interface ScaleSizeResult extends BatchSize {
  readonly rows: number;
  readonly bytes: number;
  /** The aggregator's default rows per partition: P as the pipeline picks it. */
  readonly automatic: EndToEndResult;
  /** `TALLY_ROWS_PER_PARTITION` = {@link SINGLE_PARTITION_ROWS}: one partition. */
  readonly single: EndToEndResult;
}

export interface ScaleSizeInput {
  readonly rows: number;
  readonly seed: number;
  readonly batchId: string;
  readonly maxRowErrors: number;
  /** Where the batch is generated (and deleted once measured). */
  readonly workDir: string;
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
}

/** How often a long end-to-end run reports the messages received so far. */
const PROGRESS_EVERY_MS = 30_000;

/**
 * Generates a batch of `rows` rows (shaped as {@link batchSizeOfRows} says) and runs it end to
 * end on a fresh local stack twice: with the aggregator's default rows per partition, then with
 * one partition forced, so both wall times come from the same machine in the same hour.
 */
export const measureScaleSize = async (input: ScaleSizeInput): Promise<ScaleSizeResult> => {
  const size = batchSizeOfRows(input.rows);
  const dir = join(input.workDir, `rows-${input.rows}`);
  await mkdir(dir, { recursive: true });
  try {
    input.log(`generating ${input.rows.toLocaleString('en-US')} rows`);
    const expected = await generateBatch({ outDir: dir, ...size, seed: input.seed });
    const files = Object.values(expected.files);
    const run = (label: string, environment?: Record<string, string>) => {
      input.log(`${input.rows.toLocaleString('en-US')} rows, ${label}: end to end`);
      return measureEndToEnd(
        {
          batchId: input.batchId,
          expected,
          expectedMessages:
            expected.customers.length + expectedErrorMessageCount(expected, input.maxRowErrors),
          timeoutMs: input.timeoutMs,
          log: input.log,
          quiet: true,
          progressEveryMs: PROGRESS_EVERY_MS,
          ...(environment && { environment: { aggregator: environment } }),
        },
        files,
      );
    };
    const automatic = await run('automatic P');
    const single = await run('P = 1', { TALLY_ROWS_PER_PARTITION: String(SINGLE_PARTITION_ROWS) });
    return {
      rows: input.rows,
      bytes: files.reduce((sum, file) => sum + file.bytes, 0),
      ...size,
      automatic,
      single,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
