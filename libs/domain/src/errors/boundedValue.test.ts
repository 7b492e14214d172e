import { boundedValue, MAX_QUOTED_VALUE_LENGTH, quotedValue } from './boundedValue';

describe('boundedValue', () => {
  it.each([
    ['keeps an empty value', '', ''],
    ['keeps a value of the maximum length', 'a'.repeat(200), 'a'.repeat(200)],
    ['cuts a longer value and marks the cut', 'a'.repeat(201), `${'a'.repeat(200)}…`],
    ['never splits a surrogate pair', `${'a'.repeat(199)}🎉b`, `${'a'.repeat(199)}…`],
    ['keeps a surrogate pair that fits', `${'a'.repeat(198)}🎉b`, `${'a'.repeat(198)}🎉…`],
  ])('%s', (_name, value, expected) => {
    expect(boundedValue(value)).toBe(expected);
  });

  it('bounds at 200 code units', () => {
    expect(MAX_QUOTED_VALUE_LENGTH).toBe(200);
  });
});

describe('quotedValue', () => {
  it.each([
    ['quotes a plain value', '0', '"0"'],
    ['escapes quotes and line breaks', 'say "hi"\r\n', '"say \\"hi\\"\\r\\n"'],
    ['keeps Unicode readable', 'café 日本', '"café 日本"'],
    ['quotes the bounded value', 'x'.repeat(300), `"${'x'.repeat(200)}…"`],
  ])('%s', (_name, value, expected) => {
    expect(quotedValue(value)).toBe(expected);
  });
});
