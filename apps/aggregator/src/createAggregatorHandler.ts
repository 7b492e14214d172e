import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { annotateBatch, sqsBatchHandler } from '@tally/aws-clients';
import type { LambdaObservability } from '@tally/aws-clients';
import { aggregateBatch } from '@tally/domain';
import type { AggregateDependencies, AggregateSettings } from '@tally/domain';
import { parseBatchReadyMessage } from '@tally/schema';
import type { Context, SQSRecord } from 'aws-lambda';

/** Everything the aggregator handler needs, built once per container by main.ts. */
export interface AggregatorHandlerDependencies extends AggregateDependencies, LambdaObservability {
  readonly settings: AggregateSettings;
}

/**
 * The aggregator Lambda: each SQS record is a `batch_ready` message naming one revision of a
 * batch (or one task of its partitioned aggregation), handled by {@link aggregateBatch}. A record that throws is reported in
 * `batchItemFailures` and retried; a body that is not a valid `batch_ready` message fails too,
 * so it ends in the DLQ.
 */
export const createAggregatorHandler = (dependencies: AggregatorHandlerDependencies) => {
  const { logger, metrics, tracer, settings } = dependencies;

  const aggregateRecord = async (record: SQSRecord, context: Context): Promise<void> => {
    const request = parseBatchReadyMessage(record.body);
    if (!request.success)
      throw new TypeError(`not a batch_ready message: ${request.error.message}`);
    const { batch_id: batchId, revision } = request.data;
    logger.appendKeys({ batch_id: batchId, batch_revision: revision });
    annotateBatch(tracer, batchId);
    try {
      // The lease belongs to the request (this SQS message, or the token a continuation
      // carries): its retry takes over at once after a crash, while another request for the
      // revision acknowledges and leaves it alone. The attempt is this delivery of the record
      // in this invocation, so two deliveries of one message never send at once.
      const owner = request.data.lease_owner ?? record.messageId;
      const attempt = `${context.awsRequestId}/${record.messageId}`;
      const task = request.data.task;
      const outcome = await aggregateBatch(
        { batchId, revision, owner, attempt, ...(task !== undefined && { task }) },
        dependencies,
        settings,
        { remainingTimeMs: () => context.getRemainingTimeInMillis() },
      );
      logger.info('aggregation request handled', { outcome });
      if (outcome.status === 'aggregated') {
        metrics.addMetric('BatchesAggregated', MetricUnit.Count, 1);
        metrics.addMetric('CustomerMessages', MetricUnit.Count, outcome.customerMessages);
        metrics.addMetric('ErrorMessages', MetricUnit.Count, outcome.errorMessages);
      } else if (outcome.status === 'continued' || outcome.status === 'task-continued') {
        metrics.addMetric('AggregationContinuations', MetricUnit.Count, 1);
      } else if (outcome.status === 'expired') {
        metrics.addMetric('RevisionsExpired', MetricUnit.Count, 1);
      } else if (outcome.status === 'started') {
        metrics.addMetric('PartitionedAggregations', MetricUnit.Count, 1);
      } else if (outcome.status === 'task-done') {
        metrics.addMetric('AggregationTasks', MetricUnit.Count, 1);
        // As a single pass counts them: once per revision, by the finish that sent its summary
        // (not by a redelivery of a finished task).
        if (outcome.summary !== undefined) {
          metrics.addMetric('BatchesAggregated', MetricUnit.Count, 1);
          metrics.addMetric('CustomerMessages', MetricUnit.Count, outcome.summary.customerMessages);
          metrics.addMetric('ErrorMessages', MetricUnit.Count, outcome.summary.errorMessages);
        }
      }
    } finally {
      logger.removeKeys(['batch_id', 'batch_revision']);
    }
  };

  return sqsBatchHandler('aggregator', dependencies, aggregateRecord);
};
