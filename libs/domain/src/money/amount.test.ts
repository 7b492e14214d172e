import {
  formatAmount,
  MAX_PRICE_FRACTION_DIGITS,
  MAX_PRICE_INTEGER_DIGITS,
  parseAmount,
  parseMillionths,
} from './amount';

function sumOf(prices: readonly string[]): string {
  let total = 0n;
  for (const price of prices) {
    const amount = parseAmount(price);
    if (amount === undefined) throw new Error(`not a price: ${price}`);
    total += amount;
  }
  return formatAmount(total);
}

describe('parseAmount', () => {
  it.each([
    ['0', 0n],
    ['00', 0n],
    ['0.0', 0n],
    ['12', 12_000_000n],
    ['0.5', 500_000n],
    ['19.99', 19_990_000n],
    ['0.000001', 1n],
    ['007.10', 7_100_000n],
    ['999999999999999.999999', 999_999_999_999_999_999_999n],
    ['000999999999999999.5', 999_999_999_999_999_500_000n],
    ['999999999.999999', 999_999_999_999_999n],
    ['1000000000', 1_000_000_000_000_000n],
    ['9007199254.740993', 9_007_199_254_740_993n],
    ['0000000000000000000001.5', 1_500_000n],
  ])('reads %p as %p millionths', (text, expected) => {
    expect(parseAmount(text)).toBe(expected);
  });

  it.each([
    ['an empty text', ''],
    ['a minus sign', '-1'],
    ['a plus sign', '+1'],
    ['an exponent', '1e3'],
    ['a missing integer part', '.5'],
    ['a missing fraction', '5.'],
    ['spaces', ' 5'],
    ['a comma as decimal separator', '5,5'],
    ['a thousands separator', '1,000'],
    ['a currency sign', '$5'],
    ['non-ASCII digits', '٥'],
    ['a second point', '1.2.3'],
    ['more than 6 fraction digits', '0.0000001'],
    ['more than 15 integer digits', '1000000000000000'],
    ['more than 6 fraction digits after a long integer part', '1234567890.1234567'],
    ['a letter after a long integer part', '1234567890x'],
    ['a letter in the fraction', '1.5x'],
    ['Infinity', 'Infinity'],
  ])('rejects %s', (_name, text) => {
    expect(parseAmount(text)).toBeUndefined();
  });

  it('bounds prices at 15 integer and 6 fraction digits', () => {
    expect([MAX_PRICE_INTEGER_DIGITS, MAX_PRICE_FRACTION_DIGITS]).toEqual([15, 6]);
  });
});

describe('parseMillionths', () => {
  it.each([
    ['19.99', 19_990_000],
    ['007', 7_000_000],
    ['999999999.999999', 999_999_999_999_999],
    ['1000000000', 1_000_000_000_000_000n],
    ['999999999999999.999999', 999_999_999_999_999_999_999n],
    ['1e3', undefined],
    ['.5', undefined],
    ['1.1234567', undefined],
  ])('reads %p as %p', (text, expected) => {
    expect(parseMillionths(text)).toBe(expected);
  });
});

describe('formatAmount', () => {
  it.each([
    [0n, '0'],
    [1n, '0.000001'],
    [300_000n, '0.3'],
    [19_990_000n, '19.99'],
    [12_345_679_000_000n, '12345679'],
    [-1_500_000n, '-1.5'],
    [123_456_789_012_345_678_901_234_567n, '123456789012345678901.234567'],
    [-123_456_789_012_345_678_901_234_560n, '-123456789012345678901.23456'],
    [9_007_199_254_740_991n, '9007199254.740991'],
    [9_007_199_254_740_992n, '9007199254.740992'],
    [-9_007_199_254_740_993n, '-9007199254.740993'],
    [10_000_000_000_000_000_000n, '10000000000000'],
    [120_000n, '0.12'],
  ])('writes %p millionths as %p', (amount, expected) => {
    expect(formatAmount(amount)).toBe(expected);
  });
});

describe('exact sums', () => {
  it.each([
    ['0.10 + 0.20 is 0.3', ['0.10', '0.20'], '0.3'],
    ['12345678.91 + 0.09 is 12345679', ['12345678.91', '0.09'], '12345679'],
    ['a million times 0.1 is 100000', Array<string>(1_000_000).fill('0.1'), '100000'],
    ['a million times 0.000001 is 1', Array<string>(1_000_000).fill('0.000001'), '1'],
    [
      'a million of the largest price stays exact beyond 2^53',
      Array<string>(1_000_000).fill('999999999999999.999999'),
      '999999999999999999999',
    ],
    ['9007199254740993 millionths stay exact', ['9007199254.740993'], '9007199254.740993'],
  ])('%s', (_name, prices, expected) => {
    expect(sumOf(prices)).toBe(expected);
  });
});
