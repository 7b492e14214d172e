import { availableParallelism } from 'node:os';
import { functionConcurrency } from './functionConcurrency';
import { pipelineSettings } from './pipelineSettings';
import type { PipelineSettings } from './pipelineSettings';

/** pipeline.json with the mappings' maximumConcurrency set to 10 (ingest) and 5 (aggregator). */
const settings: PipelineSettings = {
  ...pipelineSettings,
  functions: {
    ingest: { ...pipelineSettings.functions.ingest, maximumConcurrency: 10 },
    aggregator: { ...pipelineSettings.functions.aggregator, maximumConcurrency: 5 },
  },
};

describe('functionConcurrency', () => {
  it.each([
    [1, 1, 1],
    [2, 2, 2],
    [4, 4, 4],
    [8, 8, 5],
    [64, 10, 5],
  ])(
    'runs as many environments as %i cores allow, up to maximumConcurrency, by default',
    (cores, ingest, aggregator) => {
      expect(functionConcurrency('ingest', settings, undefined, cores)).toBe(ingest);
      expect(functionConcurrency('aggregator', settings, undefined, cores)).toBe(aggregator);
    },
  );

  it('defaults to the cores of this machine', () => {
    expect(functionConcurrency('ingest', settings)).toBe(Math.min(10, availableParallelism()));
  });

  it('takes one number for every function, also past maximumConcurrency', () => {
    expect(functionConcurrency('ingest', settings, 3, 1)).toBe(3);
    expect(functionConcurrency('aggregator', settings, 7, 1)).toBe(7);
  });

  it('takes a number per function, and the default for the others', () => {
    expect(functionConcurrency('aggregator', settings, { aggregator: 4 }, 2)).toBe(4);
    expect(functionConcurrency('ingest', settings, { aggregator: 4 }, 2)).toBe(2);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects a concurrency of %p', (concurrency) => {
    expect(() => functionConcurrency('ingest', settings, { ingest: concurrency })).toThrow(
      new RangeError(`concurrency of ingest must be a whole number >= 1, got ${concurrency}`),
    );
  });
});
