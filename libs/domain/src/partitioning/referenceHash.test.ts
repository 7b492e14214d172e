import { referenceHash, slotOf } from './referenceHash';

describe('referenceHash', () => {
  it('gives these exact values, so partitions never move between releases', () => {
    expect(['', 'a', 'C0000001', 'O00000042', 'é日本'].map(referenceHash)).toEqual([
      2872998923, 444641715, 4058969572, 1451686691, 2090557596,
    ]);
  });

  it('spreads similar references evenly over 8 partitions', () => {
    const counts = new Array<number>(8).fill(0);
    for (let n = 0; n < 80_000; n++) {
      const slot = slotOf(referenceHash(`O${String(n).padStart(8, '0')}`), 8);
      counts[slot] = (counts[slot] ?? 0) + 1;
    }
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(400);
  });

  it('picks a partition among P from a bucket among B >= P: the same low bits', () => {
    const hash = referenceHash('C42');
    expect(slotOf(slotOf(hash, 64), 8)).toBe(slotOf(hash, 8));
  });
});
