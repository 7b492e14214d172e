import type { EndToEndResult } from './measureEndToEnd';
import type { ScaleSizeResult } from './measureScale';

/** What one end-to-end run of a scale size shows. */
export interface ScaleRunFigures {
  readonly status: EndToEndResult['status'];
  /** Why a run failed or was skipped: the first line of its reason. */
  readonly reason?: string;
  readonly wallMs?: number;
  /** Every expected message arrived, and every customer message is byte for byte the expected one. */
  readonly exact: boolean;
  readonly partitions?: number;
  /** The largest peak RSS of any process of each function. */
  readonly peakRssBytes?: { readonly ingest: number; readonly aggregator: number };
}

/** Each size's two runs, and how the automatic runs' memory and time grow with the rows. */
export interface ScaleFigures {
  readonly sizes: readonly {
    readonly rows: number;
    readonly automatic: ScaleRunFigures;
    readonly single: ScaleRunFigures;
    /** Wall time at P = 1 over wall time at the automatic P, when both were measured. */
    readonly singleToAutomatic?: number;
  }[];
  /** The largest peak RSS of any Lambda process in the automatic runs. */
  readonly largestProcessRssBytes: number;
  /** That peak at the largest size over the same at the smallest (the reference). */
  readonly rssGrowth?: number;
  /** Wall time at the largest size over the smallest, at the automatic P. */
  readonly wallGrowth?: number;
}

const runFigures = (result: EndToEndResult): ScaleRunFigures => {
  if ('reason' in result) {
    return { status: result.status, reason: result.reason.split('\n')[0] ?? '', exact: false };
  }
  return {
    status: result.status,
    wallMs: result.wallMs,
    exact:
      result.status === 'measured' &&
      result.customerMessagesMatch &&
      result.outputMessages >= result.expectedMessages,
    partitions: result.invocations.partitions,
    peakRssBytes: {
      ingest: result.functions.ingest.peakRssBytes,
      aggregator: result.functions.aggregator.peakRssBytes,
    },
  };
};

const largestPeak = (run: ScaleRunFigures): number | undefined =>
  run.peakRssBytes && Math.max(run.peakRssBytes.ingest, run.peakRssBytes.aggregator);

/**
 * The figures of a scale run's sizes (smallest first): per size, the wall times and peaks of
 * both runs; over the automatic runs, the largest process and the growth from the smallest size
 * to the largest. A growth is left out when either end was not measured.
 *
 * @example
 * scaleFiguresOf(sizes).rssGrowth; // 1.08: flat from 2 million to 20 million rows
 */
export const scaleFiguresOf = (sizes: readonly ScaleSizeResult[]): ScaleFigures => {
  const figures = sizes.map((size) => {
    const automatic = runFigures(size.automatic);
    const single = runFigures(size.single);
    return {
      rows: size.rows,
      automatic,
      single,
      ...(automatic.wallMs !== undefined &&
        single.wallMs !== undefined && { singleToAutomatic: single.wallMs / automatic.wallMs }),
    };
  });
  const first = figures[0]?.automatic;
  const last = figures.at(-1)?.automatic;
  const firstPeak = first && largestPeak(first);
  const lastPeak = last && largestPeak(last);
  return {
    sizes: figures,
    largestProcessRssBytes: Math.max(0, ...figures.map((size) => largestPeak(size.automatic) ?? 0)),
    ...(figures.length > 1 && firstPeak && lastPeak && { rssGrowth: lastPeak / firstPeak }),
    ...(figures.length > 1 &&
      first?.wallMs &&
      last?.wallMs && { wallGrowth: last.wallMs / first.wallMs }),
  };
};
