import { unsignedIntegerAtMostPattern } from './unsignedIntegerAtMostPattern';

describe('unsignedIntegerAtMostPattern', () => {
  it.each([
    ['250', '^0*(?:[0-9]{1,2}|[0-1][0-9]{2}|2[0-4][0-9]|250)$'],
    ['9', '^0*(?:[0-9])$'],
    ['999999999', '^0*(?:[0-9]{1,8}|[0-9]{9})$'],
    ['1099', '^0*(?:[0-9]{1,3}|0[0-9]{3}|10[0-9]{2})$'],
  ])('spells out the bound %s as %s', (max, pattern) => {
    expect(unsignedIntegerAtMostPattern(max)).toBe(pattern);
  });

  it.each(['253402300799', '999999999', '1000', '7', '10', '100000000000000000001'])(
    'matches exactly the digit strings whose value is at most %s',
    (max) => {
      const atMost = new RegExp(unsignedIntegerAtMostPattern(max), 'u');
      const bound = BigInt(max);
      const candidates = [
        '0',
        '000',
        max,
        `00${max}`,
        (bound - 1n).toString(),
        (bound + 1n).toString(),
        `0${(bound + 1n).toString()}`,
        (bound * 10n).toString(),
      ];
      // A fixed pseudo-random walk over lengths around the bound's, so failures reproduce.
      let seed = 42;
      for (let round = 0; round < 2000; round += 1) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        const length = 1 + (seed % (max.length + 2));
        let digits = '';
        for (let index = 0; index < length; index += 1) {
          seed = (seed * 1103515245 + 12345) % 2147483648;
          digits += String(seed % 10);
        }
        candidates.push(digits);
      }
      for (const candidate of candidates) {
        expect([candidate, atMost.test(candidate)]).toEqual([
          candidate,
          BigInt(candidate) <= bound,
        ]);
      }
    },
  );

  it.each(['', '0', '007', '-1', '1.5', 'abc'])('rejects the bound "%s"', (max) => {
    expect(() => unsignedIntegerAtMostPattern(max)).toThrow(RangeError);
  });
});
