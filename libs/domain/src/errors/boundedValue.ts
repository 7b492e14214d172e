/** The most UTF-16 code units of a cell value that an error repeats. */
export const MAX_QUOTED_VALUE_LENGTH = 200;

/**
 * `value` cut to {@link MAX_QUOTED_VALUE_LENGTH} code units plus `…` when longer, never
 * splitting a surrogate pair. Error messages and `error_message.value` repeat cell values; a
 * bound keeps one huge cell from bloating every message about it (SQS messages stop at 256 KB).
 *
 * @example
 * ```ts
 * boundedValue('x'.repeat(500)); // 'xxx…x…' (200 x, then …)
 * ```
 */
export function boundedValue(value: string): string {
  if (value.length <= MAX_QUOTED_VALUE_LENGTH) return value;
  const lastKept = value.charCodeAt(MAX_QUOTED_VALUE_LENGTH - 1);
  const isHighSurrogate = lastKept >= 0xd800 && lastKept <= 0xdbff;
  return `${value.slice(0, isHighSurrogate ? MAX_QUOTED_VALUE_LENGTH - 1 : MAX_QUOTED_VALUE_LENGTH)}…`;
}

/**
 * `value` bounded by {@link boundedValue} and written as a JSON string, so quotes, line breaks
 * and control characters inside it stay visible and unambiguous in a message.
 *
 * @example
 * ```ts
 * quotedValue('say "hi"\n'); // '"say \\"hi\\"\\n"'
 * ```
 */
export function quotedValue(value: string): string {
  return JSON.stringify(boundedValue(value));
}
