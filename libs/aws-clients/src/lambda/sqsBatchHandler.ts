import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { traceInvocation } from './traceInvocation';

/** The Powertools utilities every Tally function uses. */
export interface LambdaObservability {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
}

/**
 * A Lambda handler for an SQS event source with partial batch responses: each record goes to
 * `handleRecord`, and a record that throws is reported in `batchItemFailures`, so SQS
 * redelivers only that record (and, after maxReceiveCount, moves it to the DLQ). Around it:
 * the Lambda context in every log line, the cold-start metric, a traced `## <name>`
 * subsegment, and metrics flushed (as EMF log lines) even when the invocation fails.
 *
 * @example
 * export const handler = sqsBatchHandler('ingest', observability, async (record) => ingest(record));
 */
export const sqsBatchHandler = (
  name: string,
  { logger, metrics, tracer }: LambdaObservability,
  handleRecord: (record: SQSRecord, context: Context) => Promise<void>,
): ((event: SQSEvent, context: Context) => Promise<SQSBatchResponse>) => {
  const processor = new BatchProcessor(EventType.SQS);
  return async (event, context) => {
    logger.addContext(context);
    metrics.captureColdStartMetric(); // emits on the first invocation of a container only
    return traceInvocation(tracer, `## ${name}`, async () => {
      try {
        return await processPartialResponse(event, handleRecord, processor, { context });
      } finally {
        metrics.publishStoredMetrics();
      }
    });
  };
};
