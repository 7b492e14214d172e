import type { RowError } from '../errors/RowError';
import type { BatchPlan } from '../lifecycle/BatchState';
import { admitPlan, commitPlan, planRequesterOf } from '../lifecycle/commitUpload';
import { BATCH_MANIFEST_FILE, problemOfFile } from '../lifecycle/selectFiles';
import { updateBatchState } from '../lifecycle/updateBatchState';
import type { ObjectLocation } from '../ports/ObjectSource';
import { ObjectUnavailableError } from '../ports/ObjectSource';
import type { IngestDependencies, IngestOutcome } from './ingestFile';
import { batchPlanOf, MAX_BATCH_MANIFEST_BYTES } from './batchPlanOf';
import { objectDeletedError } from './objectDeletedError';
import { objectVersionOf } from './objectVersionOf';
import { reportUploadErrors, sendPendingWork } from './sendPendingWork';

/**
 * The batch id of a batch manifest key (`<prefix><batch-id>/_manifest.json`), or `undefined`
 * for any other key.
 *
 * @example
 * batchManifestIdOf('incoming/b1/_manifest.json', 'incoming/'); // 'b1'
 */
export const batchManifestIdOf = (key: string, prefix: string): string | undefined => {
  const folder = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  if (!key.startsWith(folder)) return undefined;
  const segments = key.slice(folder.length).split('/');
  return segments.length === 2 && segments[0] !== '' && segments[1] === BATCH_MANIFEST_FILE
    ? segments[0]
    : undefined;
};

/**
 * Ingests an upload of a batch manifest (`_manifest.json`): reads and checks it, reports it if
 * it is invalid (the batch then waits for a valid one), records it as the batch's plan, reports
 * the staged files the plan leaves out or that do not match it, and sends "batch ready" if the
 * plan completes the batch. An older upload of the manifest than one recorded changes nothing.
 *
 * @example
 * await ingestBatchManifest(location, 'b1', dependencies, Date.now);
 */
export const ingestBatchManifest = async (
  location: ObjectLocation,
  batchId: string,
  dependencies: IngestDependencies,
  now: () => number,
): Promise<IngestOutcome> => {
  const { store, sink } = dependencies;
  const upload = { version: objectVersionOf(location), sequencer: location.sequencer };
  const origin = { batchId, objectKey: location.key, objectVersion: upload.version };
  const known = (await store.readBatchState(batchId))?.state;
  const admission = admitPlan(known, upload);
  if (admission === 'stale') return { status: 'stale', batchId, kind: 'manifest' };

  let plan: BatchPlan;
  if (admission === 'committed' && known?.plan !== undefined) {
    plan = known.plan;
  } else {
    let text: string | undefined;
    try {
      text = await readText(dependencies.source.open(location), MAX_BATCH_MANIFEST_BYTES);
    } catch (error) {
      if (!(error instanceof ObjectUnavailableError)) throw error;
      if (error.reason === 'deleted')
        await reportUploadErrors(sink, origin, [objectDeletedError(BATCH_MANIFEST_FILE, location)]);
      return { status: 'unavailable', batchId, kind: 'manifest' };
    }
    const read = batchPlanOf(text, dependencies.manifestValidator);
    if (!read.success) await reportUploadErrors(sink, origin, [read.error]);
    plan = read.success
      ? { status: 'valid', ...upload, files: read.files }
      : { status: 'rejected', ...upload, code: read.error.code };
  }
  const committed = await updateBatchState(store, batchId, (state) =>
    commitPlan(state, batchId, plan, now()),
  );
  if (committed.outcome === 'stale') return { status: 'stale', batchId, kind: 'manifest' };
  // The plan decides which staged files count: report those it leaves out or that differ.
  const state = committed.state;
  const problems = (state?.files ?? [])
    .map((record) => (state === undefined ? undefined : problemOfFile(state, record.key)))
    .filter((problem): problem is RowError => problem !== undefined);
  const requestedRevision = await sendPendingWork(
    state,
    planRequesterOf(plan),
    undefined,
    origin,
    dependencies,
    now(),
    problems,
  );
  return {
    status: plan.status === 'valid' ? 'manifest-recorded' : 'manifest-rejected',
    batchId,
    ...(requestedRevision !== undefined && { requestedRevision }),
  };
};

/** The UTF-8 text of a byte stream, or `undefined` when it is longer than `maxBytes`. */
const readText = async (
  bytes: AsyncIterable<Uint8Array>,
  maxBytes: number,
): Promise<string | undefined> => {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const part of bytes) {
    total += part.byteLength;
    if (total > maxBytes) return undefined;
    parts.push(part);
  }
  return Buffer.concat(parts).toString('utf8');
};
