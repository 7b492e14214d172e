/** `[0-9]` repeated `count` times, or between `min` and `max` times. */
function digits(min: number, max = min): string {
  if (min === 1 && max === 1) return '[0-9]';
  return min === max ? `[0-9]{${min}}` : `[0-9]{${min},${max}}`;
}

/**
 * A regular expression (as a JSON Schema `pattern`) that matches a string of digits whose value
 * is at most `max`, leading zeros allowed. JSON Schema has no numeric bounds for strings, and
 * numbers this large must not go through floats, so the bound is spelled out digit by digit.
 *
 * @example
 * ```ts
 * unsignedIntegerAtMostPattern('250'); // '^0*(?:[0-9]{1,2}|[0-1][0-9]{2}|2[0-4][0-9]|250)$'
 * ```
 */
export function unsignedIntegerAtMostPattern(max: string): string {
  if (!/^[1-9][0-9]*$/.test(max)) {
    throw new RangeError(`max must be a positive integer without leading zeros, got "${max}"`);
  }
  const length = max.length;
  const alternatives = length > 1 ? [digits(1, length - 1)] : [];
  for (let index = 0; index < length; index += 1) {
    const prefix = max.slice(0, index);
    if (/^9+$/.test(max.slice(index))) {
      // The rest is all nines: any digits there stay within the bound.
      alternatives.push(`${prefix}${digits(length - index)}`);
      return `^0*(?:${alternatives.join('|')})$`;
    }
    const digit = max.charCodeAt(index) - 48;
    if (digit > 0) {
      const lower = digit === 1 ? '0' : `[0-${digit - 1}]`;
      const rest = length - index - 1;
      alternatives.push(`${prefix}${lower}${rest > 0 ? digits(rest) : ''}`);
    }
  }
  alternatives.push(max);
  return `^0*(?:${alternatives.join('|')})$`;
}
