import type { FileKind } from '../batch/fileKind';
import { MAX_BATCH_ID_LENGTH, MAX_FILE_NAME_LENGTH } from '../batch/parseBatchKey';
import { MAX_MANIFEST_FILES } from '../ingest/batchPlanOf';
import type { BatchState, RevisionFile, StagedBatchFile } from '../lifecycle/BatchState';
import { MAX_KEYS_PER_BATCH } from '../lifecycle/commitUpload';

const DAY_MS = 86_400_000;
/** Three bytes in UTF-8 for one UTF-16 unit: the most any character of a name costs. */
const WIDE = '日';

/** `start` padded with wide characters to exactly `length` characters. */
const padded = (start: string, length: number, end = ''): string =>
  start + WIDE.repeat(length - start.length - end.length) + end;

/**
 * The batch state with everything as large as Tally's limits allow: a batch id of
 * `MAX_BATCH_ID_LENGTH` characters, `MAX_KEYS_PER_BATCH` keys with file names of
 * `MAX_FILE_NAME_LENGTH` characters (all 3-byte UTF-8), a manifest and a revision of
 * `MAX_MANIFEST_FILES` files, a lease handed over between long ids and the largest counts.
 * S3 version ids are 32 characters in practice; 64 are used. `batchId` starts the id (a test's
 * unique prefix) and is padded to the limit.
 *
 * @example
 * new TextEncoder().encode(JSON.stringify(largestBatchState('b', Date.now()))).length; // < 400 KB
 */
export const largestBatchState = (batchId: string, now: number): BatchState => {
  const id = padded(batchId, MAX_BATCH_ID_LENGTH);
  const kindOf = (order: number): FileKind =>
    order === 0 ? 'customers' : order === 1 ? 'orders' : 'items';
  const nameOf = (order: number) =>
    padded(`${kindOf(order)}-${order}-`, MAX_FILE_NAME_LENGTH, '.csv');
  const files: StagedBatchFile[] = Array.from({ length: MAX_KEYS_PER_BATCH }, (_, order) => ({
    status: 'staged',
    key: `incoming/${id}/${nameOf(order)}`,
    kind: kindOf(order),
    file: nameOf(order),
    order,
    version: 'v'.repeat(64),
    sequencer: 'F'.repeat(24),
    chunks: 999_999_999,
    rowsRead: 999_999_999_999,
    rowCount: 999_999_999_999,
    sha256: 'e3'.repeat(32),
    expiresAt: now + 7 * DAY_MS,
  }));
  const counted = files.slice(0, MAX_MANIFEST_FILES);
  const revisionFiles: RevisionFile[] = counted.map((file) => ({
    key: file.key,
    kind: file.kind,
    file: file.file,
    version: file.version,
    chunks: file.chunks,
    rowCount: file.rowCount,
    expiresAt: file.expiresAt,
  }));
  const longId = 'r'.repeat(200);
  return {
    batchId: id,
    files,
    plan: {
      status: 'valid',
      version: 'v'.repeat(64),
      sequencer: 'F'.repeat(24),
      files: counted.map((file) => ({ file: file.file, rows: file.rowsRead, sha256: file.sha256 })),
    },
    revision: {
      number: 999_999_999,
      files: revisionFiles,
      requestedBy: JSON.stringify([files[0]?.key, 'v'.repeat(64)]),
      createdAt: now,
    },
    lease: {
      revision: 999_999_999,
      owner: longId,
      attempt: longId,
      handedBy: longId,
      leaseUntil: now + DAY_MS,
      sent: 999_999_999_999,
    },
    aggregated: {
      revision: 999_999_998,
      outcome: 'sent',
      customerMessages: 999_999_999_999,
      errorMessages: 999_999_999_999,
    },
    updatedAt: now,
    expiresAt: now + 1_000 * DAY_MS,
  };
};
