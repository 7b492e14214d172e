import type { Amount } from '../messages/outputMessageTypes';

/** The most digits a price may have before its decimal point, leading zeros not counted. */
export const MAX_PRICE_INTEGER_DIGITS = 15;
/** The most digits a price may have after its decimal point: the scale of {@link Amount}. */
export const MAX_PRICE_FRACTION_DIGITS = 6;

const MILLIONTHS_PER_UNIT = 1_000_000n;
const MILLIONTHS = 1_000_000;
/** Leading zeros, then the integer and fraction digits an {@link Amount} can hold. */
const PRICE = new RegExp(
  `^0*(\\d{1,${MAX_PRICE_INTEGER_DIGITS}})(?:\\.(\\d{1,${MAX_PRICE_FRACTION_DIGITS}}))?$`,
);
/** The largest whole part read as a Number: its millionths plus a fraction stay below 2^53. */
const MAX_SMALL_UNITS = 999_999_999;
/** The factor that turns a fraction of n digits into millionths, by n (n from 1 to 6). */
const FRACTION_SCALE: readonly (number | undefined)[] = [
  undefined,
  100_000,
  10_000,
  1_000,
  100,
  10,
  1,
];
const DIGIT_0 = 0x30;
const DOT = 0x2e;

/**
 * Parses a price written as digits with an optional fraction (`12`, `0.5`, `19.99`) into an
 * exact {@link Amount} in millionths. Returns `undefined` for anything else: a sign, an exponent,
 * spaces, a bare `.5` or `5.`, more than {@link MAX_PRICE_INTEGER_DIGITS} integer digits (leading
 * zeros not counted) or more than {@link MAX_PRICE_FRACTION_DIGITS} fraction digits.
 *
 * @example
 * ```ts
 * parseAmount('19.99'); // 19_990_000n
 * parseAmount('1e3'); // undefined
 * ```
 */
export function parseAmount(text: string): Amount | undefined {
  const millionths = smallMillionthsOf(text);
  if (millionths !== undefined) return BigInt(millionths);
  const match = PRICE.exec(text);
  if (match === null) return undefined;
  const [, integer = '', fraction = ''] = match;
  return BigInt(`${integer}${fraction.padEnd(MAX_PRICE_FRACTION_DIGITS, '0')}`);
}

/**
 * Parses a price as {@link parseAmount} does, but returns its millionths as a Number when the
 * price is below 10^9, where a Number holds them exactly: this spares a bigint per price where
 * many are summed. `undefined` for what {@link parseAmount} refuses.
 *
 * @example
 * ```ts
 * parseMillionths('19.99'); // 19_990_000
 * parseMillionths('1000000000'); // 1_000_000_000_000_000n
 * ```
 */
export function parseMillionths(text: string): number | Amount | undefined {
  return smallMillionthsOf(text) ?? parseAmount(text);
}

/**
 * The millionths of `text` when it is a price below 10^9 (leading zeros allowed), as the usual
 * prices are: then every step below stays an integer under 10^15 < 2^53, exact as a Number.
 * `undefined` for anything else, valid or not, which {@link parseAmount} reads exactly.
 */
function smallMillionthsOf(text: string): number | undefined {
  let units = 0;
  let at = 0;
  for (; at < text.length; at++) {
    const digit = text.charCodeAt(at) - DIGIT_0;
    if (digit < 0 || digit > 9) break;
    units = units * 10 + digit;
    if (units > MAX_SMALL_UNITS) return undefined;
  }
  if (at === 0) return undefined;
  if (at === text.length) return units * MILLIONTHS;
  if (text.charCodeAt(at) !== DOT) return undefined;
  const fractionStart = at + 1;
  let fraction = 0;
  for (at = fractionStart; at < text.length; at++) {
    const digit = text.charCodeAt(at) - DIGIT_0;
    if (digit < 0 || digit > 9) return undefined;
    fraction = fraction * 10 + digit;
  }
  const scale = FRACTION_SCALE[at - fractionStart];
  return at === fractionStart || scale === undefined
    ? undefined
    : units * MILLIONTHS + fraction * scale;
}

/**
 * Writes an {@link Amount} as the shortest exact decimal: no trailing fraction zeros, no point
 * for whole amounts. The text is also a valid JSON number.
 *
 * @example
 * ```ts
 * formatAmount(300_000n); // '0.3'
 * formatAmount(12_345_679_000_000n); // '12345679'
 * formatAmount(0n); // '0'
 * ```
 */
export function formatAmount(amount: Amount): string {
  const small = Number(amount);
  // A safe integer converts exactly, and `%` and the division of a multiple stay exact.
  if (Number.isSafeInteger(small)) {
    const magnitude = Math.abs(small);
    const fraction = magnitude % MILLIONTHS;
    return decimalOf(small < 0, String((magnitude - fraction) / MILLIONTHS), fraction);
  }
  const magnitude = amount < 0n ? -amount : amount;
  return decimalOf(
    amount < 0n,
    (magnitude / MILLIONTHS_PER_UNIT).toString(),
    Number(magnitude % MILLIONTHS_PER_UNIT),
  );
}

/** `units` and the fraction of `millionths` (below a million), trailing zeros dropped. */
function decimalOf(negative: boolean, units: string, millionths: number): string {
  const sign = negative ? '-' : '';
  if (millionths === 0) return `${sign}${units}`;
  let fraction = millionths;
  let digits = MAX_PRICE_FRACTION_DIGITS;
  for (; fraction % 10 === 0; digits--) fraction /= 10;
  return `${sign}${units}.${String(fraction).padStart(digits, '0')}`;
}
