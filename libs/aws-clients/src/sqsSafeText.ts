/**
 * Characters SQS refuses in message bodies and attribute values: anything outside #x9, #xA,
 * #xD, #x20–#xD7FF, #xE000–#xFFFD and #x10000–#x10FFFF. A message holding one is rejected with
 * a sender fault, so its batch would fail every retry and end in a DLQ.
 */
const REFUSED_BY_SQS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const escaped = (character: string): string =>
  `\\u${(character.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;

/**
 * A JSON text SQS accepts, with the same JSON value: the only characters `JSON.stringify`
 * leaves unescaped that SQS refuses are the non-characters U+FFFE and U+FFFF (it already
 * escapes control characters and lone surrogates), and they can only occur inside strings,
 * where `\uFFFE` means the same.
 *
 * @example
 * sqsSafeJson('{"ref":"C\uFFFF"}'); // '{"ref":"C\\uffff"}'
 */
export const sqsSafeJson = (json: string): string => json.replace(REFUSED_BY_SQS, escaped);

/**
 * An SQS string attribute value: refused characters written as `\uXXXX` text (a batch folder
 * may hold control characters), and never empty (SQS refuses an empty value; `undefined` means
 * "leave the attribute out").
 */
export const sqsAttributeText = (value: string): string | undefined =>
  value === '' ? undefined : value.replace(REFUSED_BY_SQS, escaped);
