import { median } from './median';

describe('median', () => {
  it.each([
    [[5], 5],
    [[3, 1, 200], 3],
    [[4, 1, 3, 2], 2.5],
  ])('of %j is %p', (values, middle) => {
    expect(median(values)).toBe(middle);
  });

  it('refuses no values', () => {
    expect(() => median([])).toThrow(RangeError);
  });
});
