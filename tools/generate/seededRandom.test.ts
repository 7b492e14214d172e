import { createSeededRandom } from './seededRandom';

const draws = (seed: number, count: number) => {
  const random = createSeededRandom(seed);
  return Array.from({ length: count }, () => random.nextUint32());
};

describe('createSeededRandom', () => {
  it('repeats its sequence for the same seed and changes it for another', () => {
    expect(draws(42, 5)).toEqual(draws(42, 5));
    expect(draws(43, 5)).not.toEqual(draws(42, 5));
  });

  it('keeps below(n) within [0, n) and reaches both ends', () => {
    const random = createSeededRandom(1);
    const seen = new Set(Array.from({ length: 1_000 }, () => random.below(5)));

    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it.each([
    [0, 0],
    [1, 100],
  ])('says yes to chance(%p) %p times in 100', (p, yes) => {
    const random = createSeededRandom(9);

    expect(Array.from({ length: 100 }, () => random.chance(p)).filter(Boolean)).toHaveLength(yes);
  });

  it('refuses to pick from no choices', () => {
    expect(() => createSeededRandom(1).pick([])).toThrow(RangeError);
  });
});
