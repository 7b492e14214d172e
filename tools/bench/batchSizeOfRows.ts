import { DEFAULT_BATCH_SIZE } from '../generate/generateBatch';

/** Data rows per file of a generated batch. */
export interface BatchSize {
  readonly customers: number;
  readonly orders: number;
  readonly items: number;
}

/** The batch size the scale runs are measured against: flat memory is judged from here on. */
export const REFERENCE_ROWS = 2_000_000;

const DEFAULT_ROWS =
  DEFAULT_BATCH_SIZE.customers + DEFAULT_BATCH_SIZE.orders + DEFAULT_BATCH_SIZE.items;

/**
 * A batch of `rows` data rows in all, shaped like the default bench batch (1 customer : 5
 * orders : 20 items), so that only its size changes from one run to the next.
 *
 * @example
 * batchSizeOfRows(20_000_000); // { customers: 769_231, orders: 3_846_154, items: 15_384_615 }
 */
export const batchSizeOfRows = (rows: number): BatchSize => {
  const customers = Math.max(1, Math.round((rows * DEFAULT_BATCH_SIZE.customers) / DEFAULT_ROWS));
  const orders = Math.max(1, Math.round((rows * DEFAULT_BATCH_SIZE.orders) / DEFAULT_ROWS));
  return { customers, orders, items: Math.max(0, rows - customers - orders) };
};

/**
 * The batch sizes of a scale run, smallest first and each once: the ones asked for, and
 * {@link REFERENCE_ROWS} when a larger one is asked for, so every run shows its growth against
 * the same reference. Throws a `RangeError` naming a value that is not a whole number >= 3.
 *
 * @example
 * scaleRunSizes(['20000000']); // [2_000_000, 20_000_000]
 */
export const scaleRunSizes = (values: readonly string[]): number[] => {
  const sizes = new Set<number>();
  for (const value of values.flatMap((listed) => listed.split(','))) {
    const rows = Number(value.trim());
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(rows) || rows < 3) {
      throw new RangeError(`--rows takes whole numbers of rows >= 3, got "${value}"`);
    }
    sizes.add(rows);
  }
  if ([...sizes].some((rows) => rows > REFERENCE_ROWS)) sizes.add(REFERENCE_ROWS);
  return [...sizes].sort((a, b) => a - b);
};
