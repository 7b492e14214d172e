import { FILE_KINDS } from '../batch/fileKind';
import type { FileKind } from '../batch/fileKind';
import type { RowError } from '../errors/RowError';
import type { BatchFile, BatchState, PlannedFile, StagedBatchFile } from './BatchState';

/** The name of the batch manifest object in a batch folder. */
export const BATCH_MANIFEST_FILE = '_manifest.json';

/** A file the batch needs but cannot use yet, and why. */
export interface BlockedFile {
  readonly file: string;
  readonly reason: string;
}

/** Which staged files make up the batch now: all of them, or what is still missing. */
export type FileSelection =
  | { readonly status: 'ready'; readonly files: readonly StagedBatchFile[] }
  | {
      readonly status: 'waiting';
      /** Kinds (without a manifest) or file names (with one) that nothing was uploaded for. */
      readonly missing: readonly string[];
      /** Files that were uploaded but cannot be used: rejected, or not what the manifest says. */
      readonly blocked: readonly BlockedFile[];
    };

/**
 * The batch's current files, by its rules:
 *
 * - with a valid manifest (`_manifest.json`), exactly the files it lists, each as its latest
 *   staged upload, which must have the row count and SHA-256 the manifest gives; files it does
 *   not list are ignored;
 * - with a manifest that was rejected, none: the batch waits for a valid one;
 * - without a manifest, one file per kind: the first key recorded for the kind (a later,
 *   differently named file of the kind is ignored, see {@link problemOfFile}).
 *
 * A file whose latest upload was rejected as a whole blocks the batch until it is uploaded
 * again. The files come in aggregation order: customers, orders, items, and within a kind in
 * the manifest's order.
 *
 * @example
 * selectFiles(state); // { status: 'waiting', missing: ['items'], blocked: [] }
 */
export const selectFiles = (state: BatchState): FileSelection => {
  const plan = state.plan;
  if (plan?.status === 'rejected') {
    return {
      status: 'waiting',
      missing: [],
      blocked: [{ file: BATCH_MANIFEST_FILE, reason: `it was rejected (${plan.code})` }],
    };
  }
  const chosen: StagedBatchFile[] = [];
  const missing: string[] = [];
  const blocked: BlockedFile[] = [];
  const choose = (record: BatchFile | undefined, planned: PlannedFile | undefined) => {
    if (record?.status === 'staged') {
      const mismatch = planned && manifestMismatchOf(record, planned);
      if (mismatch === undefined) chosen.push(record);
      else blocked.push({ file: record.file, reason: mismatch });
    } else if (record?.status === 'rejected') {
      blocked.push({
        file: record.file,
        reason: `its latest upload was rejected (${record.code})`,
      });
    }
  };
  if (plan?.status === 'valid') {
    for (const kind of FILE_KINDS) {
      for (const planned of plan.files.filter((candidate) => kindOfName(candidate.file) === kind)) {
        const record = state.files.find((candidate) => candidate.file === planned.file);
        if (record === undefined) missing.push(planned.file);
        else choose(record, planned);
      }
    }
  } else {
    for (const kind of FILE_KINDS) {
      const first = firstOfKind(state, kind);
      if (first === undefined) missing.push(kind);
      else choose(first, undefined);
    }
  }
  return missing.length === 0 && blocked.length === 0
    ? { status: 'ready', files: chosen }
    : { status: 'waiting', missing, blocked };
};

/**
 * Why a staged or rejected file does not count towards its batch as the batch stands, as the
 * `error_message` its upload gets; `undefined` when it counts (or waits for the rest of the
 * batch). A file rejected as a whole had its own message when it was read, so it has none here.
 *
 * @example
 * problemOfFile(state, 'incoming/b1/items-2.csv')?.code; // 'SECOND_FILE_OF_KIND'
 */
export const problemOfFile = (state: BatchState, key: string): RowError | undefined => {
  const record = state.files.find((candidate) => candidate.key === key);
  if (record === undefined || record.status === 'rejected') return undefined;
  const plan = state.plan;
  if (plan?.status === 'rejected') return undefined;
  if (plan?.status === 'valid') {
    const planned = plan.files.find((candidate) => candidate.file === record.file);
    if (planned === undefined) {
      return {
        code: 'FILE_NOT_IN_MANIFEST',
        file: record.file,
        message: `${record.file}: the batch's ${BATCH_MANIFEST_FILE} does not list this file, so it is not part of the batch; add it to the manifest and upload the manifest again if it belongs to the batch`,
      };
    }
    const mismatch = manifestMismatchOf(record, planned);
    return mismatch === undefined
      ? undefined
      : {
          code: 'FILE_DOES_NOT_MATCH_MANIFEST',
          file: record.file,
          message: `${record.file}: ${mismatch}; the file is not used until an upload matches ${BATCH_MANIFEST_FILE}`,
        };
  }
  const first = firstOfKind(state, record.kind);
  if (first === undefined || first.key === record.key) return undefined;
  return {
    code: 'SECOND_FILE_OF_KIND',
    file: record.file,
    message: `${record.file}: the batch already has ${record.kind === 'customers' ? 'a' : 'an'} ${record.kind} file, ${first.file}, and a batch without ${BATCH_MANIFEST_FILE} has one file per kind, so ${record.file} is not used; to replace ${first.file}, upload the new file under the name ${first.file}; to send ${record.kind} in several parts, upload a ${BATCH_MANIFEST_FILE} that lists every part`,
  };
};

/** The kind a file name is of (its start, in any case), or `undefined`. */
export const kindOfName = (file: string): FileKind | undefined => {
  const name = file.toLowerCase();
  return FILE_KINDS.find((kind) => name.startsWith(kind));
};

const firstOfKind = (state: BatchState, kind: FileKind): BatchFile | undefined => {
  let first: BatchFile | undefined;
  for (const record of state.files) {
    if (record.kind === kind && (first === undefined || record.order < first.order)) first = record;
  }
  return first;
};

/** What is wrong with a staged file for the manifest entry that lists it, if anything. */
const manifestMismatchOf = (record: StagedBatchFile, planned: PlannedFile): string | undefined => {
  if (planned.rows !== undefined && planned.rows !== record.rowsRead) {
    return `${BATCH_MANIFEST_FILE} says it has ${planned.rows} rows, but ${record.rowsRead} were read`;
  }
  if (planned.sha256 !== undefined && planned.sha256 !== record.sha256) {
    return `${BATCH_MANIFEST_FILE} gives its SHA-256 as ${planned.sha256}, but the uploaded file's is ${record.sha256}`;
  }
  return undefined;
};
