import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Jest runs without --expose-gc; this flag plus a new context hands us `gc`, so each case
// starts from a collected heap and its peak measures what the case itself keeps alive.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as (() => void) | undefined;

/**
 * Samples `process.memoryUsage().heapUsed` and keeps the peak above a baseline taken after a
 * full collection. The peak also counts garbage not yet collected, so it over-estimates: a
 * bound on it is a safe bound on what is retained.
 */
export class HeapPeak {
  private baseline = 0;
  private peak = 0;

  /** Collects garbage and starts a new measurement. */
  public reset(): void {
    collectGarbage?.();
    this.baseline = process.memoryUsage().heapUsed;
    this.peak = this.baseline;
  }

  public sample(): void {
    const used = process.memoryUsage().heapUsed;
    if (used > this.peak) this.peak = used;
  }

  /** Peak growth since {@link reset}, in MiB. */
  public growthMiB(): number {
    this.sample();
    return (this.peak - this.baseline) / (1024 * 1024);
  }
}
