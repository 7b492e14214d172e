import type { EndToEndResult } from './measureEndToEnd';
import type { ScaleSizeResult } from './measureScale';
import { scaleFiguresOf } from './scaleFigures';

const MIB = 1_048_576;
const phase = { invocations: 0, failed: 0, busyMs: 0 };

const measured = (
  wallMs: number,
  ingestMiB: number,
  aggregatorMiB: number,
  partitions = 1,
  match = true,
): EndToEndResult => ({
  status: 'measured',
  wallMs,
  rows: 100,
  rowsPerSecond: 100 / (wallMs / 1000),
  outputMessages: 11,
  expectedMessages: 10,
  customerMessagesMatch: match,
  peakLambdaRssBytes: aggregatorMiB * MIB,
  peakTreeRssBytes: 900 * MIB,
  functions: {
    ingest: { invocations: 3, errors: 0, peakRssBytes: ingestMiB * MIB, processes: [] },
    aggregator: { invocations: 1, errors: 0, peakRssBytes: aggregatorMiB * MIB, processes: [] },
  },
  invocations: {
    phases: { ingest: phase, aggregate: phase, orders: phase, customers: phase, finish: phase },
    partitions,
  },
  usage: {
    ingest: { requests: {}, dynamodbWriteUnits: 0, dynamodbReadUnits: 0 },
    aggregator: { requests: {}, dynamodbWriteUnits: 0, dynamodbReadUnits: 0 },
  },
});

const size = (
  rows: number,
  automatic: EndToEndResult,
  single: EndToEndResult,
): ScaleSizeResult => ({
  rows,
  bytes: rows * 33,
  customers: 1,
  orders: 1,
  items: 1,
  automatic,
  single,
});

describe('scaleFiguresOf', () => {
  it('compares the automatic runs of the largest and the smallest size, and each P = 1 run', () => {
    const figures = scaleFiguresOf([
      size(2_000_000, measured(40_000, 150, 200), measured(44_000, 150, 210)),
      size(20_000_000, measured(300_000, 160, 240, 8), measured(600_000, 160, 1_900)),
    ]);

    expect(figures.sizes.map((entry) => entry.singleToAutomatic)).toEqual([1.1, 2]);
    expect(figures.sizes[1]?.automatic).toEqual({
      status: 'measured',
      wallMs: 300_000,
      exact: true,
      partitions: 8,
      peakRssBytes: { ingest: 160 * MIB, aggregator: 240 * MIB },
    });
    // The P = 1 run's 1.9 GiB does not count: the target is the automatic P's.
    expect(figures.largestProcessRssBytes).toBe(240 * MIB);
    expect(figures.rssGrowth).toBe(240 / 200);
    expect(figures.wallGrowth).toBe(7.5);
  });

  it('calls a run inexact when a customer message differs, and leaves out what was not measured', () => {
    const figures = scaleFiguresOf([
      size(2_000_000, measured(40_000, 150, 200, 1, false), {
        status: 'failed',
        reason: 'heap out of memory\n[tally-local-aggregator] END',
      }),
      size(20_000_000, { status: 'failed', reason: 'timeout' }, measured(1, 1, 1)),
    ]);

    expect(figures.sizes[0]?.automatic.exact).toBe(false);
    expect(figures.sizes[0]?.single).toEqual({
      status: 'failed',
      reason: 'heap out of memory',
      exact: false,
    });
    expect(figures.sizes[0]?.singleToAutomatic).toBeUndefined();
    expect(figures.rssGrowth).toBeUndefined();
    expect(figures.wallGrowth).toBeUndefined();
    expect(figures.largestProcessRssBytes).toBe(200 * MIB);
  });
});
