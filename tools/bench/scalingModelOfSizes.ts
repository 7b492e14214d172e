import { MAX_BUCKETS } from '@tally/domain';
import { pipelineSettings } from '@tally/local-stack';
import type { ScaleSizeResult } from './measureScale';
import { measuredRunOf, modelSettingsOf, scalingModelOf } from './scalingModel';
import type { ModelComparison, ScalingModel } from './scalingModel';

/** The batch docs/scaling.md models on AWS. */
export const MODELLED_ROWS = 1_000_000_000;

/** The AWS model of a scale run, and the size it was measured at. */
export interface ScaleRunModel {
  /** Rows of the size the rates come from. */
  readonly fromRows: number;
  /** The aggregator's event source raised to one task per partition. */
  readonly raised: ScalingModel;
  /** The same batch as configured, and with the table pre-warmed. */
  readonly comparisons: readonly ModelComparison[];
}

const count = (value: number) => Math.ceil(value).toLocaleString('en-US');

/**
 * The AWS model of a batch of {@link MODELLED_ROWS} rows deployed as pipeline.json says, from the
 * largest of `sizes` that was aggregated in partitions: the aggregator's event source raised to
 * one task per partition, then compared with the event source as configured and with the table
 * pre-warmed to what the phases ask of it. `undefined` when no size was aggregated in
 * partitions.
 *
 * @example
 * scalingModelOfSizes(report.scale.sizes)?.raised.wallSeconds;
 */
export const scalingModelOfSizes = (
  sizes: readonly ScaleSizeResult[],
): ScaleRunModel | undefined => {
  const measured = sizes
    .map((size) => ({ rows: size.rows, run: measuredRunOf(size) }))
    .filter((entry) => entry.run !== undefined)
    .at(-1);
  if (measured?.run === undefined) return undefined;
  const settings = modelSettingsOf(pipelineSettings, MODELLED_ROWS, MAX_BUCKETS);
  const configured = scalingModelOf(measured.run, settings);
  const raisedSettings = {
    ...settings,
    aggregator: {
      ...settings.aggregator,
      maximumConcurrency: Math.min(
        configured.batch.partitions,
        settings.quotas.eventSourceMaximumConcurrency,
      ),
    },
  };
  const raised = scalingModelOf(measured.run, raisedSettings);
  const table = {
    readUnitsPerSecond: Math.max(
      settings.table.readUnitsPerSecond,
      Math.ceil(raised.tableDemand.readUnitsPerSecond),
    ),
    writeUnitsPerSecond: Math.max(
      settings.table.writeUnitsPerSecond,
      Math.ceil(raised.tableDemand.writeUnitsPerSecond),
    ),
  };
  const prewarmed = scalingModelOf(measured.run, { ...raisedSettings, table });
  return {
    fromRows: measured.rows,
    raised,
    comparisons: [
      {
        deployment: `aggregator event source at its configured \`maximumConcurrency\` (${settings.aggregator.maximumConcurrency})`,
        model: configured,
      },
      {
        deployment: `event source raised, the table pre-warmed to ${count(table.readUnitsPerSecond)} RRU/s, ${count(table.writeUnitsPerSecond)} WRU/s`,
        model: prewarmed,
      },
    ],
  };
};
