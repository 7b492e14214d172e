import { DEFAULT_BATCH_SIZE } from '../generate/generateBatch';
import { batchSizeOfRows, scaleRunSizes } from './batchSizeOfRows';

describe('batchSizeOfRows', () => {
  it.each([
    [1_300_000, DEFAULT_BATCH_SIZE],
    [2_000_000, { customers: 76_923, orders: 384_615, items: 1_538_462 }],
    [20_000_000, { customers: 769_231, orders: 3_846_154, items: 15_384_615 }],
    [3, { customers: 1, orders: 1, items: 1 }],
  ])('shapes %i rows like the default batch', (rows, size) => {
    expect(batchSizeOfRows(rows)).toEqual(size);
    expect(size.customers + size.orders + size.items).toBe(rows);
  });
});

describe('scaleRunSizes', () => {
  it('adds the 2,000,000-row reference below a larger size', () => {
    expect(scaleRunSizes(['20000000'])).toEqual([2_000_000, 20_000_000]);
  });

  it('takes lists and repeats, sorted and each once', () => {
    expect(scaleRunSizes(['5000000,2000000', '5000000'])).toEqual([2_000_000, 5_000_000]);
  });

  it('adds no reference when no size is larger', () => {
    expect(scaleRunSizes(['100000'])).toEqual([100_000]);
  });

  it.each(['2e7', '-5', '1.5', '', '2', 'many'])('refuses "%s"', (value) => {
    expect(() => scaleRunSizes([value])).toThrow(
      new RangeError(`--rows takes whole numbers of rows >= 3, got "${value}"`),
    );
  });
});
