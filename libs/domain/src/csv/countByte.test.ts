import { countByte } from './countByte';

describe('countByte', () => {
  it.each([
    ['', 0x0a, undefined, 0],
    ['abc', 0x0a, undefined, 0],
    ['\na\nb\n', 0x0a, undefined, 3],
    ['\na\nb\n', 0x0a, 3, 2],
    ['"a""b"', 0x22, undefined, 4],
  ])('counts in %p', (text, byte, end, expected) => {
    expect(countByte(Buffer.from(text), byte, end)).toBe(expected);
  });
});
