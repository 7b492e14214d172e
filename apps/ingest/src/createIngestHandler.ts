import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { annotateBatch, sqsBatchHandler } from '@tally/aws-clients';
import type { LambdaObservability } from '@tally/aws-clients';
import { batchManifestIdOf, ingestFile, parseBatchKey } from '@tally/domain';
import type { IngestDependencies, IngestSettings, ObjectLocation } from '@tally/domain';
import type { Context, SQSRecord } from 'aws-lambda';
import { objectLocationsOf } from './objectLocationsOf';

/** Everything the ingest handler needs, built once per container by main.ts. */
export interface IngestHandlerDependencies extends IngestDependencies, LambdaObservability {
  readonly settings: IngestSettings;
}

/**
 * The ingest Lambda: each SQS record holds one S3 notification; each object in it goes
 * through {@link ingestFile}. A record that throws is reported in `batchItemFailures`, so SQS
 * redelivers only that record (and, after maxReceiveCount, moves it to the DLQ).
 */
export const createIngestHandler = (dependencies: IngestHandlerDependencies) => {
  const { logger, metrics, tracer, settings } = dependencies;

  const ingestObject = async (location: ObjectLocation, context: Context): Promise<void> => {
    // Known before any work, so every log line and the trace of this object name its batch.
    const batch = batchOfKey(location.key, settings.inputPrefix);
    logger.appendKeys({
      object_key: location.key,
      ...(batch && { batch_id: batch.batchId, file_kind: batch.kind }),
    });
    if (batch) annotateBatch(tracer, batch.batchId, batch.kind);
    try {
      const outcome = await ingestFile(location, dependencies, settings, {
        remainingTimeMs: () => context.getRemainingTimeInMillis(),
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
      }
      if ('requestedRevision' in outcome && outcome.requestedRevision !== undefined)
        metrics.addMetric('RevisionsRequested', MetricUnit.Count, 1);
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
