const MiB = 1024 * 1024;

/** The JS heap plus ArrayBuffers (Buffers, Uint8Arrays): where rows and file bytes live. */
const memoryInUse = (): number => {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};

/** V8's full collection, present when Node runs with `--expose-gc`. */
const fullCollection = (): (() => void) => {
  const { gc } = globalThis as { gc?: () => void };
  if (typeof gc !== 'function') {
    throw new Error(
      'HeapPeak needs `node --expose-gc` (the ingest test target runs Jest with it: npx nx test ingest)',
    );
  }
  return gc;
};

/**
 * Bounds the memory that code keeps alive while it runs (JS heap and ArrayBuffers), on every
 * V8. Memory in use also counts garbage not yet collected, and how much of it piles up depends
 * on the V8 version (Node 24's young generation let 96 MiB accumulate in the 200,000-row case,
 * Node 20's 24 MiB). So a sample over the budget first forces a full collection and is taken
 * again: only what is still reachable can fail the bound. Samples under the budget cost
 * nothing, since what is retained is at most what is in use. A budget of 0 collects at every
 * sample and so measures the retained peak exactly, at about 0.15 s a sample in a Jest worker.
 *
 * @example
 * ```ts
 * const heap = new HeapPeak(16);
 * heap.reset();
 * await work(() => heap.sample());
 * expect(heap.growthMiB()).toBeLessThanOrEqual(16);
 * ```
 */
export class HeapPeak {
  private readonly collect = fullCollection();
  private baseline = 0;
  private peak = 0;
  /** Milliseconds spent collecting since {@link reset}: not the measured code's time. */
  public collectingMs = 0;

  public constructor(private readonly budgetMiB: number) {}

  /** Collects garbage and starts a new measurement from what is retained now. */
  public reset(): void {
    this.collect();
    this.baseline = memoryInUse();
    this.peak = this.baseline;
    this.collectingMs = 0;
  }

  /** Records the heap now; over the budget, what is retained after a full collection. */
  public sample(): void {
    let used = memoryInUse();
    if (used - this.baseline > this.budgetMiB * MiB) {
      const started = performance.now();
      this.collect();
      this.collectingMs += performance.now() - started;
      used = memoryInUse();
    }
    if (used > this.peak) this.peak = used;
  }

  /**
   * Growth since {@link reset}, in MiB, sampled once more now. At most the budget exactly when
   * the retained heap stayed within the budget at every sample.
   */
  public growthMiB(): number {
    this.sample();
    return (this.peak - this.baseline) / MiB;
  }
}
