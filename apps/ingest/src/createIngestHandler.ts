import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { annotateBatch, traceInvocation } from '@tally/aws-clients';
import { ingestFile, parseBatchKey } from '@tally/domain';
import type { IngestDependencies, IngestSettings, ObjectLocation } from '@tally/domain';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { objectLocationsOf } from './objectLocationsOf';

/** Everything the ingest handler needs, built once per container by main.ts. */
export interface IngestHandlerDependencies extends IngestDependencies {
  readonly settings: IngestSettings;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
}

/**
 * The ingest Lambda: each SQS record holds one S3 notification; each object in it goes
 * through {@link ingestFile}. A record that throws is reported in `batchItemFailures`, so SQS
 * redelivers only that record (and, after maxReceiveCount, moves it to the DLQ).
 */
export const createIngestHandler = (dependencies: IngestHandlerDependencies) => {
  const { logger, metrics, tracer, settings } = dependencies;
  const processor = new BatchProcessor(EventType.SQS);

  const ingestObject = async (location: ObjectLocation, context: Context): Promise<void> => {
    // Known before any work, so every log line and the trace of this object name its batch.
    const key = parseBatchKey(location.key, settings.inputPrefix);
    logger.appendKeys({
      object_key: location.key,
      ...(key.success && { batch_id: key.data.batchId, file_kind: key.data.kind }),
    });
    if (key.success) annotateBatch(tracer, key.data.batchId, key.data.kind);
    try {
      const outcome = await ingestFile(location, dependencies, settings, {
        remainingTimeMs: () => context.getRemainingTimeInMillis(),
      });
      logger.info('ingested object', { outcome });
      if (outcome.status === 'staged') {
        metrics.addMetric('RowsAccepted', MetricUnit.Count, outcome.accepted);
        metrics.addMetric('RowsRejected', MetricUnit.Count, outcome.rejected);
        if (outcome.requestedAggregation)
          metrics.addMetric('BatchesCompleted', MetricUnit.Count, 1);
      } else if (outcome.status === 'rejected-file' || outcome.status === 'rejected-key') {
        metrics.addMetric('FilesRejected', MetricUnit.Count, 1);
      }
    } finally {
      logger.removeKeys(['object_key', 'batch_id', 'file_kind']);
    }
  };

  const ingestRecord = async (record: SQSRecord, context: Context): Promise<void> => {
    const notification = objectLocationsOf(record.body);
    if (notification.type === 'test-event') {
      logger.info('ignored s3:TestEvent');
      return;
    }
    for (const location of notification.objects) await ingestObject(location, context);
  };

  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    logger.addContext(context);
    metrics.captureColdStartMetric(); // emits on the first invocation of a container only
    return traceInvocation(tracer, '## ingest', async () => {
      try {
        return await processPartialResponse(event, ingestRecord, processor, { context });
      } finally {
        metrics.publishStoredMetrics();
      }
    });
  };
};
