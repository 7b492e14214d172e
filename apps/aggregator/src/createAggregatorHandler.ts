import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { annotateBatch, sqsBatchHandler } from '@tally/aws-clients';
import type { LambdaObservability } from '@tally/aws-clients';
import { aggregateBatch } from '@tally/domain';
import type { AggregateDependencies } from '@tally/domain';
import { parseBatchReadyMessage } from '@tally/schema';
import type { Context, SQSRecord } from 'aws-lambda';

/** Everything the aggregator handler needs, built once per container by main.ts. */
export interface AggregatorHandlerDependencies extends AggregateDependencies, LambdaObservability {}

/**
 * The aggregator Lambda: each SQS record is a `batch_ready` message, handled by
 * {@link aggregateBatch}. A record that throws is reported in `batchItemFailures` and retried;
 * a body that is not a valid `batch_ready` message fails too, so it ends in the DLQ.
 */
export const createAggregatorHandler = (dependencies: AggregatorHandlerDependencies) => {
  const { logger, metrics, tracer } = dependencies;

  const aggregateRecord = async (record: SQSRecord, context: Context): Promise<void> => {
    const request = parseBatchReadyMessage(record.body);
    if (!request.success)
      throw new TypeError(`not a batch_ready message: ${request.error.message}`);
    logger.appendKeys({ batch_id: request.data.batch_id });
    annotateBatch(tracer, request.data.batch_id);
    try {
      // The lease lasts as long as this invocation may and belongs to the SQS message: a
      // duplicate request running meanwhile acknowledges, and this message's own retry (after a
      // crash or timeout) takes it over at once. Two deliveries of the very same message at the
      // same time could both aggregate; they send the same messages with the same ids, which
      // consumers de-duplicate (at-least-once).
      const outcome = await aggregateBatch(request.data, dependencies, {
        owner: record.messageId,
        now: Date.now(),
        durationMs: context.getRemainingTimeInMillis(),
      });
      logger.info('aggregation request handled', { outcome });
      if (outcome.status === 'aggregated') {
        metrics.addMetric('BatchesAggregated', MetricUnit.Count, 1);
        metrics.addMetric('CustomerMessages', MetricUnit.Count, outcome.customerMessages);
        metrics.addMetric('ErrorMessages', MetricUnit.Count, outcome.errorMessages);
      }
    } finally {
      logger.removeKeys(['batch_id']);
    }
  };

  return sqsBatchHandler('aggregator', dependencies, aggregateRecord);
};
