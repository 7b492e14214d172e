import type { Amount } from '../messages/outputMessageTypes';

/** The most digits a price may have before its decimal point, leading zeros not counted. */
export const MAX_PRICE_INTEGER_DIGITS = 15;
/** The most digits a price may have after its decimal point: the scale of {@link Amount}. */
export const MAX_PRICE_FRACTION_DIGITS = 6;

const MILLIONTHS_PER_UNIT = 1_000_000n;
const PRICE = /^0*(\d*)(?:\.(\d+))?$/;
const PRICE_SHAPE = /^\d+(?:\.\d+)?$/;

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
  if (!PRICE_SHAPE.test(text)) return undefined;
  const [, integer = '', fraction = ''] = PRICE.exec(text) ?? [];
  if (integer.length > MAX_PRICE_INTEGER_DIGITS || fraction.length > MAX_PRICE_FRACTION_DIGITS) {
    return undefined;
  }
  return BigInt(`${integer}${fraction.padEnd(MAX_PRICE_FRACTION_DIGITS, '0')}`);
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
  const sign = amount < 0n ? '-' : '';
  const magnitude = amount < 0n ? -amount : amount;
  const units = (magnitude / MILLIONTHS_PER_UNIT).toString();
  const fraction = (magnitude % MILLIONTHS_PER_UNIT)
    .toString()
    .padStart(MAX_PRICE_FRACTION_DIGITS, '0')
    .replace(/0+$/, '');
  return fraction === '' ? `${sign}${units}` : `${sign}${units}.${fraction}`;
}
