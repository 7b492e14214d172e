import { retryWithBackoff } from './retryWithBackoff';

const policy = { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 100 };

describe('retryWithBackoff', () => {
  it('retries only what each attempt left undone, sleeping between tries', async () => {
    const sent: string[][] = [];
    const sleeps: number[] = [];
    const left = await retryWithBackoff(
      ['a', 'b', 'c'],
      policy,
      async (ms) => {
        sleeps.push(ms);
      },
      async (pending) => {
        sent.push([...pending]);
        return { left: pending.slice(1) };
      },
    );
    expect(sent).toEqual([['a', 'b', 'c'], ['b', 'c'], ['c']]);
    expect(left).toEqual([]);
    expect(sleeps).toHaveLength(2);
  });

  it('gives back what is still undone after the last attempt', async () => {
    let attempts = 0;
    const left = await retryWithBackoff(
      ['a'],
      policy,
      async () => undefined,
      async (pending) => {
        attempts += 1;
        return { left: pending };
      },
    );
    expect(attempts).toBe(4);
    expect(left).toEqual(['a']);
  });

  it('stops at once when retrying cannot help', async () => {
    let attempts = 0;
    const left = await retryWithBackoff(
      ['a', 'b'],
      policy,
      async () => undefined,
      async () => {
        attempts += 1;
        return { left: ['b'], hopeless: true };
      },
    );
    expect(attempts).toBe(1);
    expect(left).toEqual(['b']);
  });
});
