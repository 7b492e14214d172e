import type { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * Runs one Lambda invocation inside an X-Ray subsegment named `name`, annotated with the cold
 * start and service name, recording an error as metadata. Lambda's own segment is a facade
 * that takes no annotations, so the batch annotations go on this subsegment.
 * When tracing is off (locally, or `POWERTOOLS_TRACE_ENABLED=false`) it only runs `work`.
 *
 * @example
 * return traceInvocation(tracer, '## ingest', () => processPartialResponse(event, ...));
 */
export const traceInvocation = async <T>(
  tracer: Tracer,
  name: string,
  work: () => Promise<T>,
): Promise<T> => {
  if (!tracer.isTracingEnabled()) return work();
  const parent = tracer.getSegment();
  if (!parent) return work();
  const subsegment = parent.addNewSubsegment(name);
  tracer.setSegment(subsegment);
  tracer.annotateColdStart();
  tracer.addServiceNameAnnotation();
  try {
    return await work();
  } catch (error) {
    tracer.addErrorAsMetadata(error as Error);
    throw error;
  } finally {
    subsegment.close();
    tracer.setSegment(parent);
  }
};

/**
 * Annotates the current invocation's subsegment with the batch it works on, so X-Ray can find
 * every trace of one batch (`annotation.batch_id = "..."`). Functions consume one record per
 * invocation (batch size 1), so the annotations describe the whole trace.
 */
export const annotateBatch = (tracer: Tracer, batchId: string, fileKind?: string): void => {
  if (!tracer.isTracingEnabled()) return;
  tracer.putAnnotation('batch_id', batchId);
  if (fileKind !== undefined) tracer.putAnnotation('file_kind', fileKind);
};
