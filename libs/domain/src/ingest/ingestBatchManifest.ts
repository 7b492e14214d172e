import { FILE_KINDS } from '../batch/fileKind';
import type { RowError } from '../errors/RowError';
import type { BatchPlan, PlannedFile } from '../lifecycle/BatchState';
import { admitPlan, commitPlan, planRequesterOf } from '../lifecycle/commitUpload';
import { BATCH_MANIFEST_FILE, kindOfName, problemOfFile } from '../lifecycle/selectFiles';
import { updateBatchState } from '../lifecycle/updateBatchState';
import type { ObjectLocation } from '../ports/ObjectSource';
import { ObjectUnavailableError } from '../ports/ObjectSource';
import type { IngestDependencies, IngestOutcome } from './ingestFile';
import { objectDeletedError } from './objectDeletedError';
import { objectVersionOf } from './objectVersionOf';
import { reportUploadErrors, sendPendingWork } from './sendPendingWork';

/** A manifest lists files, not data: anything larger is not one. */
export const MAX_BATCH_MANIFEST_BYTES = 1024 * 1024;

/**
 * The most files one manifest may list, and the longest name it may give: the batch state holds
 * each file's key and name in one stored item (DynamoDB's hold 400 KB), with batch ids of at
 * most `MAX_BATCH_ID_LENGTH` characters.
 */
export const MAX_MANIFEST_FILES = 100;
export const MAX_MANIFEST_FILE_NAME_LENGTH = 255;

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
    const read = planOf(text, dependencies);
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

/** A manifest's files, or the `MANIFEST_INVALID` error that says what is wrong with it. */
const planOf = (
  text: string | undefined,
  { manifestValidator }: Pick<IngestDependencies, 'manifestValidator'>,
):
  | { readonly success: true; readonly files: readonly PlannedFile[] }
  | { readonly success: false; readonly error: RowError } => {
  const invalid = (reason: string) => ({
    success: false as const,
    error: {
      code: 'MANIFEST_INVALID' as const,
      file: BATCH_MANIFEST_FILE,
      message: `${BATCH_MANIFEST_FILE}: ${reason}; the batch waits for a valid manifest`,
    },
  });
  if (text === undefined) return invalid(`it is larger than ${MAX_BATCH_MANIFEST_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return invalid(`it is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const checked = manifestValidator(json);
  if (!checked.success) return invalid(checked.error);
  const names = checked.data.files.map((entry) => entry.name);
  if (names.length > MAX_MANIFEST_FILES)
    return invalid(
      `it lists ${names.length} files; a manifest may list at most ${MAX_MANIFEST_FILES}`,
    );
  const longName = names.find((name) => name.length > MAX_MANIFEST_FILE_NAME_LENGTH);
  if (longName !== undefined)
    return invalid(
      `a file name is ${longName.length} characters long; names may have at most ${MAX_MANIFEST_FILE_NAME_LENGTH}`,
    );
  const badName = names.find(
    (name) => name.includes('/') || !name.endsWith('.csv') || kindOfName(name) === undefined,
  );
  if (badName !== undefined) {
    return invalid(
      `${JSON.stringify(badName)} is not a file name of the batch (a name in the batch folder, starting with customers, orders or items and ending in .csv)`,
    );
  }
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) return invalid(`it lists ${JSON.stringify(repeated)} twice`);
  const absent = FILE_KINDS.filter((kind) => !names.some((name) => kindOfName(name) === kind));
  if (absent.length > 0) return invalid(`it lists no ${absent.join(' and no ')} file`);
  return {
    success: true,
    files: checked.data.files.map((entry) => ({
      file: entry.name,
      ...(entry.rows !== undefined && { rows: entry.rows }),
      ...(entry.sha256 !== undefined && { sha256: entry.sha256.toLowerCase() }),
    })),
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
