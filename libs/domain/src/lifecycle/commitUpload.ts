import type { FileKind } from '../batch/fileKind';
import type { ErrorCode } from '../errors/errorCodes';
import { compareSequencers } from '../ingest/compareSequencers';
import { BATCH_RETENTION_MS, retained } from './batchRetention';
import type { BatchFile, BatchPlan, BatchState, PlannedFile, StagedBatchFile } from './BatchState';
import { withNextRevision } from './withNextRevision';
import type { Transition } from './Transition';

/** One upload of one object key, as its S3 event names it. */
export interface UploadIdentity {
  readonly key: string;
  readonly kind: FileKind;
  readonly file: string;
  readonly version: string;
  readonly sequencer: string;
}

/** A staged upload, ready to be recorded. */
export type StagedUpload = Omit<StagedBatchFile, 'status' | 'order'>;

/** An upload rejected as a whole, ready to be recorded. */
export interface RejectedUpload extends UploadIdentity {
  readonly code: ErrorCode;
}

/**
 * What the batch already knows of an upload, which decides what ingest does with it:
 * - `new`: read it;
 * - `committed`: this very upload is recorded (a redelivered event): only the steps after the
 *   commit may be unfinished;
 * - `stale`: a later upload of the same key is recorded, so this one never counts again;
 * - `full`: a new key, but the batch records {@link MAX_KEYS_PER_BATCH} keys already.
 */
export type UploadAdmission = 'new' | 'committed' | 'stale' | 'full';

/**
 * Decides whether ingest reads an upload, from the batch state it finds.
 *
 * @example
 * admitUpload(state, { key, kind: 'items', file: 'items.csv', version: 'v2', sequencer: '0B' }); // 'new'
 */
export const admitUpload = (
  state: BatchState | undefined,
  upload: Pick<UploadIdentity, 'key' | 'version' | 'sequencer'>,
): UploadAdmission => {
  const known = state?.files.find((record) => record.key === upload.key);
  if (known === undefined && isFull(state)) return 'full';
  return admissionOf(known, upload);
};

const isFull = (state: BatchState | undefined): boolean =>
  (state?.files.length ?? 0) >= MAX_KEYS_PER_BATCH;

/**
 * Decides whether ingest reads an upload of the batch manifest (`_manifest.json`).
 *
 * @example
 * admitPlan(state, { version: 'v1', sequencer: '0A' }); // 'new'
 */
export const admitPlan = (
  state: BatchState | undefined,
  upload: { readonly version: string; readonly sequencer: string },
): UploadAdmission => admissionOf(state?.plan, upload);

const admissionOf = (
  known: { readonly version: string; readonly sequencer: string } | undefined,
  upload: { readonly version: string; readonly sequencer: string },
): UploadAdmission => {
  if (known === undefined) return 'new';
  if (known.version === upload.version) return 'committed';
  return compareSequencers(known.sequencer, upload.sequencer) > 0 ? 'stale' : 'new';
};

/**
 * The most object keys one batch records. With the other limits (batch ids and file names of
 * at most 100 characters, manifests of at most 100 files) the whole batch state stays one
 * bounded record whatever the names: `batchStateSize.test.ts` builds the largest state these
 * limits allow and measures it (289 KB of JSON), and the store contract writes it to each
 * store (the DynamoDB adapter's items hold 400 KB).
 */
export const MAX_KEYS_PER_BATCH = 120;

/**
 * What a commit did: recorded the upload (or found it recorded), refused a stale one, or
 * refused a new key because the batch has {@link MAX_KEYS_PER_BATCH} already (`full`).
 */
export type CommitOutcome = 'committed' | 'stale' | 'full';

/** Who asked for a revision: an upload of a key. */
export const requesterOf = (upload: Pick<UploadIdentity, 'key' | 'version'>): string =>
  JSON.stringify([upload.key, upload.version]);

/**
 * Records a staged upload as its key's latest, then allocates the batch's next revision if the
 * batch's files now form a new complete combination (see `withNextRevision`). A stale upload
 * (an older event of a key whose later upload is recorded) changes nothing.
 *
 * @example
 * const { next, outcome } = commitStagedUpload(state, 'b1', upload, Date.now(), settings);
 */
export const commitStagedUpload = (
  state: BatchState | undefined,
  batchId: string,
  upload: StagedUpload,
  now: number,
): Transition<CommitOutcome> =>
  commitFile(state, batchId, upload, (order) => ({ ...upload, status: 'staged', order }), now);

/**
 * Records that a key's latest upload was rejected as a whole: the key has no usable rows until
 * it is uploaded again, so a batch that needs it waits.
 *
 * @example
 * commitRejectedUpload(state, 'b1', { ...upload, code: 'FILE_MISSING_COLUMNS' }, Date.now());
 */
export const commitRejectedUpload = (
  state: BatchState | undefined,
  batchId: string,
  upload: RejectedUpload,
  now: number,
): Transition<CommitOutcome> =>
  commitFile(
    state,
    batchId,
    upload,
    (order) => ({
      status: 'rejected',
      key: upload.key,
      kind: upload.kind,
      file: upload.file,
      order,
      version: upload.version,
      sequencer: upload.sequencer,
      code: upload.code,
    }),
    now,
  );

/**
 * Records an upload of the batch manifest (valid, with its files, or rejected), then allocates
 * the next revision if the files it lists are all staged and form a new combination.
 *
 * @example
 * commitPlan(state, 'b1', { status: 'valid', version: 'v1', sequencer: '0A', files }, Date.now());
 */
export const commitPlan = (
  state: BatchState | undefined,
  batchId: string,
  plan: BatchPlan,
  now: number,
): Transition<CommitOutcome> => {
  const current = state ?? emptyState(batchId, now);
  const admission = admitPlan(current, plan);
  if (admission === 'stale') return { outcome: 'stale' };
  if (admission === 'committed') return { outcome: 'committed' };
  const next: BatchState = { ...current, plan: normalisedPlan(plan) };
  return {
    next: retained(withNextRevision(next, planRequesterOf(plan), now), now),
    outcome: 'committed',
  };
};

/** Who asked for a revision: an upload of the batch manifest. */
export const planRequesterOf = (plan: Pick<BatchPlan, 'version'>): string =>
  JSON.stringify(['manifest', plan.version]);

const commitFile = (
  state: BatchState | undefined,
  batchId: string,
  upload: UploadIdentity,
  recordAt: (order: number) => BatchFile,
  now: number,
): Transition<CommitOutcome> => {
  const current = state ?? emptyState(batchId, now);
  const index = current.files.findIndex((record) => record.key === upload.key);
  const known = index === -1 ? undefined : current.files[index];
  if (known === undefined && isFull(current)) return { outcome: 'full' };
  const admission = admissionOf(known, upload);
  if (admission === 'stale') return { outcome: 'stale' };
  if (admission === 'committed') return { outcome: 'committed' };
  const files = [...current.files];
  if (known === undefined) files.push(recordAt(nextOrderOf(current)));
  else files[index] = recordAt(known.order);
  const next = withNextRevision({ ...current, files }, requesterOf(upload), now);
  return { next: retained(next, now), outcome: 'committed' };
};

const nextOrderOf = (state: BatchState): number =>
  state.files.reduce((highest, record) => Math.max(highest, record.order + 1), 0);

const emptyState = (batchId: string, now: number): BatchState => ({
  batchId,
  files: [],
  updatedAt: now,
  expiresAt: now + BATCH_RETENTION_MS,
});

const normalisedPlan = (plan: BatchPlan): BatchPlan =>
  plan.status === 'rejected' ? plan : { ...plan, files: plan.files.map(normalisedPlannedFile) };

const normalisedPlannedFile = (planned: PlannedFile): PlannedFile =>
  planned.sha256 === undefined ? planned : { ...planned, sha256: planned.sha256.toLowerCase() };
