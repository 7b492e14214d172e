import { availableParallelism } from 'node:os';
import type { FunctionKey, PipelineSettings } from './pipelineSettings';

/**
 * Execution environments the local stack runs side by side per function: one number for every
 * function, or a number per function (the others keep the default).
 */
export type ConcurrencySetting = number | Partial<Record<FunctionKey, number>>;

/**
 * How many invocations of `functionKey` the local stack runs at once, each in its own process:
 * the setting when it names one, else as many as the machine has cores for
 * (`os.availableParallelism()`), but no more than the event source mapping's
 * `maximumConcurrency` (AWS would not run more either). So partitions and segments of one
 * batch really run side by side, as they do on Lambda, on any machine.
 *
 * Throws a `RangeError` for a setting that is not a whole number >= 1.
 *
 * @example
 * functionConcurrency('aggregator', pipelineSettings); // min(5, cores)
 * functionConcurrency('ingest', pipelineSettings, { ingest: 1 }); // 1
 */
export const functionConcurrency = (
  functionKey: FunctionKey,
  settings: PipelineSettings,
  setting?: ConcurrencySetting,
  cores: number = availableParallelism(),
): number => {
  const chosen = typeof setting === 'number' ? setting : setting?.[functionKey];
  if (chosen === undefined) {
    return Math.max(1, Math.min(settings.functions[functionKey].maximumConcurrency, cores));
  }
  if (!Number.isSafeInteger(chosen) || chosen < 1) {
    throw new RangeError(
      `concurrency of ${functionKey} must be a whole number >= 1, got ${String(chosen)}`,
    );
  }
  return chosen;
};
