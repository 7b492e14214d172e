import type { RowError } from '../errors/RowError';
import type { BatchState, StagedBatchFile } from '../lifecycle/BatchState';
import { pendingWorkOf } from '../lifecycle/withNextRevision';
import { errorMessageOf } from '../messages/outputMessages';
import type { MessageOrigin } from '../messages/outputMessages';
import { outboundMessageOf } from '../messages/outboundMessageOf';
import type { AggregationRequests } from '../ports/AggregationRequests';
import type { MessageSink } from '../ports/MessageSink';

/**
 * Sends the `error_message`s of problems found with one upload, their ids scoped by the upload
 * (key and version), so a retry re-sends the same ids and a later upload's messages get new ones.
 *
 * @example
 * await reportUploadErrors(sink, { batchId: 'b1', objectKey, objectVersion }, rowErrors);
 */
export const reportUploadErrors = async (
  sink: MessageSink,
  origin: MessageOrigin,
  errors: readonly RowError[],
): Promise<void> => {
  if (errors.length === 0) return;
  await sink.send(
    errors.map((error) => outboundMessageOf(origin, errorMessageOf(origin.batchId, error))),
  );
};

/**
 * Does what a commit by `requester` leaves to do, from the state it left (see `pendingWorkOf`):
 * reports why the committed file does not count and which files expired, then sends "batch
 * ready" for the revision the commit allocated. Returns that revision, if it sent one.
 *
 * @example
 * const revision = await sendPendingWork(state, requesterOf(upload), upload.key, origin, dependencies, Date.now());
 */
export const sendPendingWork = async (
  state: BatchState | undefined,
  requester: string,
  key: string | undefined,
  origin: MessageOrigin,
  dependencies: { readonly sink: MessageSink; readonly aggregation: AggregationRequests },
  now: number,
  extraProblems: readonly RowError[] = [],
): Promise<number | undefined> => {
  if (state === undefined) return undefined;
  const work = pendingWorkOf(state, requester, key, now);
  const errors: RowError[] = [...extraProblems];
  if (work.problem !== undefined) errors.push(work.problem);
  if (work.expiringFiles.length > 0) errors.push(expiredFilesError(work.expiringFiles));
  await reportUploadErrors(dependencies.sink, origin, errors);
  if (work.requestRevision === undefined) return undefined;
  await dependencies.aggregation.requestAggregation({
    type: 'batch_ready',
    batch_id: state.batchId,
    revision: work.requestRevision,
  });
  return work.requestRevision;
};

/** The error that asks for files to be uploaded again because their staged rows expired. */
export const expiredFilesError = (files: readonly Pick<StagedBatchFile, 'file'>[]): RowError => {
  const names = files.map((file) => file.file);
  const list =
    names.length === 1
      ? names[0]
      : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return {
    code: 'STAGED_FILES_EXPIRED',
    file: names[0] ?? '',
    value: names.join(', '),
    message: `the staged rows of ${list} expired (or expire within the hour) before the batch could be aggregated with them; upload ${names.length === 1 ? 'it' : 'them'} again`,
  };
};
