import { HeapPeak } from './HeapPeak';

const BUDGET_MIB = 16;

/** `count` small row-like objects, each with its own string (200,000 retain about 38 MiB). */
const rows = (count: number): { reference: string; line: number }[] =>
  Array.from({ length: count }, (_, line) => ({ reference: `C${line}`.padEnd(24, '-'), line }));

/** Makes `count` rows and drops them; in its own frame, so no register of the caller keeps them. */
const churn = (count: number): number => rows(count).length;

describe('HeapPeak', () => {
  it('goes over the budget when rows made between samples stay reachable', () => {
    const heap = new HeapPeak(BUDGET_MIB);
    heap.reset();
    const leaked: unknown[] = [];
    for (let round = 0; round < 4; round++) {
      leaked.push(rows(50_000));
      heap.sample();
    }
    expect(leaked).toHaveLength(4);
    expect(heap.growthMiB()).toBeGreaterThan(30);
  });

  it('goes over the budget when file chunks (Buffers, outside the JS heap) stay reachable', () => {
    const heap = new HeapPeak(BUDGET_MIB);
    heap.reset();
    const chunks: Buffer[] = [];
    for (let round = 0; round < 4; round++) {
      // 8 MiB a round, in chunks of the size S3 streams yield.
      chunks.push(...Array.from({ length: 128 }, (_, index) => Buffer.alloc(64 * 1024, index)));
      heap.sample();
    }
    expect(chunks).toHaveLength(512);
    // 32 MiB stay reachable; memory the process held at reset may since have been freed
    // (measured 31.85 MiB once), so the bound leaves it a few MiB, far over the 16 MiB budget.
    expect(heap.growthMiB()).toBeGreaterThan(28);
  });

  it('stays within the budget when everything made between samples is garbage', () => {
    const heap = new HeapPeak(BUDGET_MIB);
    heap.reset();
    let made = 0;
    for (let round = 0; round < 3; round++) {
      made += churn(200_000);
      heap.sample();
    }
    expect(made).toBe(600_000);
    expect(heap.growthMiB()).toBeLessThanOrEqual(BUDGET_MIB);
  });

  it('measures the retained peak exactly with a budget of 0', () => {
    const heap = new HeapPeak(0);
    heap.reset();
    expect(churn(200_000)).toBe(200_000);
    heap.sample();
    expect(heap.growthMiB()).toBeLessThan(1);
  });
});
