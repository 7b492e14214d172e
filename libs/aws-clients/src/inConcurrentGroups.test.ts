import { inConcurrentGroups } from './inConcurrentGroups';

describe('inConcurrentGroups', () => {
  it('hands every item over once, in groups of at most the size, with bounded concurrency', async () => {
    const groups: number[][] = [];
    let running = 0;
    let peak = 0;
    await inConcurrentGroups(
      Array.from({ length: 23 }, (_, n) => n),
      10,
      2,
      async (group) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setImmediate(resolve));
        groups.push([...group]);
        running -= 1;
      },
    );
    expect(groups.map((group) => group.length).sort()).toEqual([10, 10, 3]);
    expect(groups.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, n) => n));
    expect(peak).toBe(2);
  });

  it('rejects with the first failure', async () => {
    await expect(
      inConcurrentGroups([1, 2, 3], 1, 2, async (group) => {
        if (group[0] === 2) throw new Error('group 2 failed');
      }),
    ).rejects.toThrow('group 2 failed');
  });
});
