import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { annotateBatch, sqsBatchHandler } from '@tally/aws-clients';
import type { LambdaObservability } from '@tally/aws-clients';
import { batchManifestIdOf, ingestFile, parseBatchKey } from '@tally/domain';
import type { IngestDependencies, IngestSettings, ObjectLocation } from '@tally/domain';
import type { Context, SQSRecord } from 'aws-lambda';
import { ingestRequestOf } from './ingestRequestOf';

/** Everything the ingest handler needs, built once per container by main.ts. */
export interface IngestHandlerDependencies extends IngestDependencies, LambdaObservability {
  readonly settings: IngestSettings;
}

/**
 * The ingest Lambda: each SQS record holds one S3 notification, whose objects each go through
 * {@link ingestFile}, or an `ingest_continuation`, which reads a long file on from the segment
 * it names. A record that throws is reported in `batchItemFailures`, so SQS redelivers only that
 * record (and, after maxReceiveCount, moves it to the DLQ).
 */
export const createIngestHandler = (dependencies: IngestHandlerDependencies) => {
  const { logger, metrics, tracer, settings } = dependencies;

  const ingestObject = async (
    location: ObjectLocation,
    record: SQSRecord,
    context: Context,
    segment = 0,
  ): Promise<void> => {
    // Known before any work, so every log line and the trace of this object name its batch.
    const batch = batchOfKey(location.key, settings.inputPrefix);
    logger.appendKeys({
      object_key: location.key,
      ...(batch && { batch_id: batch.batchId, file_kind: batch.kind }),
    });
    if (batch) annotateBatch(tracer, batch.batchId, batch.kind);
    try {
      // The request is the SQS message: its redelivery after a crash recognises the checkpoints
      // it recorded, while another message for the same segment is a duplicate.
      const outcome = await ingestFile(location, dependencies, settings, {
        remainingTimeMs: () => context.getRemainingTimeInMillis(),
        requestId: record.messageId,
        segment,
      });
      logger.info('ingested object', { outcome });
      if (outcome.status === 'staged') {
        metrics.addMetric('RowsAccepted', MetricUnit.Count, outcome.accepted);
        metrics.addMetric('RowsRejected', MetricUnit.Count, outcome.rejected);
      } else if (
        outcome.status === 'rejected-file' ||
        outcome.status === 'rejected-key' ||
        outcome.status === 'manifest-rejected'
      ) {
        metrics.addMetric('FilesRejected', MetricUnit.Count, 1);
      } else if (outcome.status === 'continued') {
        metrics.addMetric('IngestContinuations', MetricUnit.Count, 1);
      }
      if ('requestedRevision' in outcome && outcome.requestedRevision !== undefined)
        metrics.addMetric('RevisionsRequested', MetricUnit.Count, 1);
    } finally {
      logger.removeKeys(['object_key', 'batch_id', 'file_kind']);
    }
  };

  const ingestRecord = async (record: SQSRecord, context: Context): Promise<void> => {
    const request = ingestRequestOf(record.body);
    if (request.type === 'test-event') {
      logger.info('ignored s3:TestEvent');
      return;
    }
    if (request.type === 'continuation') {
      await ingestObject(request.location, record, context, request.segment);
      return;
    }
    for (const location of request.objects) await ingestObject(location, record, context);
  };

  return sqsBatchHandler('ingest', dependencies, ingestRecord);
};

/** The batch and kind a key names, if it names one: a data file, or the batch manifest. */
const batchOfKey = (
  key: string,
  prefix: string,
): { readonly batchId: string; readonly kind: string } | undefined => {
  const manifestOf = batchManifestIdOf(key, prefix);
  if (manifestOf !== undefined) return { batchId: manifestOf, kind: 'manifest' };
  const parsed = parseBatchKey(key, prefix);
  return parsed.success ? parsed.data : undefined;
};
