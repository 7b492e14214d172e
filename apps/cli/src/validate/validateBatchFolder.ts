import {
  BATCH_MANIFEST_FILE,
  BatchAggregation,
  batchKeyOf,
  errorMessageOf,
  FILE_KINDS,
  outboundMessageOf,
  problemOfFile,
  selectFiles,
  batchPlanOf,
  MAX_KEYS_PER_BATCH,
  tooManyFilesError,
} from '@tally/domain';
import type {
  BatchManifestValidator,
  BatchPlan,
  BatchState,
  ErrorCode,
  FileKind,
  FileSelection,
  IngestSettings,
  MessageOrigin,
  MessageSink,
  PlannedFile,
  RowError,
  RowValidators,
  StagedRowOfKind,
} from '@tally/domain';
import { batchStateOf, CHECKED_AT } from './batchStateOf';
import type { FolderUpload } from './batchStateOf';
import { checkBatchFile } from './checkBatchFile';
import type { BatchFileRead } from './checkBatchFile';
import type { ReadProgress } from './ReadProgress';
import { readBatchFolder } from './readBatchFolder';
import type { BatchFolder, BatchFolderFile } from './readBatchFolder';

/** The pipeline settings the check applies, as ingest reads them from its environment. */
export type BatchCheckSettings = Pick<
  IngestSettings,
  'inputPrefix' | 'maxObjectBytes' | 'maxLineBytes' | 'maxRowErrors' | 'stagedRowsTtlMs'
>;

/** What {@link validateBatchFolder} works through. */
export interface BatchCheckDependencies {
  /** Receives the error messages the pipeline would send, in the order documented below. */
  readonly sink: MessageSink;
  readonly validators: RowValidators;
  readonly manifestValidator: BatchManifestValidator;
  readonly progress?: ReadProgress;
}

/**
 * What the batch makes of a file:
 * - `counted`: it is one of the batch's files (the batch uses it once it is complete);
 * - `not-used`: its rows were read, but the batch does not use them (`problem` says why);
 * - `rejected`: rejected as a whole (`fileError` says why), so it has no rows;
 * - `waiting`: the batch's `_manifest.json` is invalid, so no file counts until a valid one.
 */
export type FileStatus = 'counted' | 'not-used' | 'rejected' | 'waiting';

/** How one file of the batch fared. */
export interface FileCheck {
  readonly kind: FileKind;
  readonly file: string;
  /** Data records read (the header and empty lines not counted). */
  readonly rowsRead: number;
  readonly accepted: number;
  readonly rejected: number;
  /** Lower-case hex SHA-256 of the file; absent when the file is rejected as a whole. */
  readonly sha256?: string;
  readonly status: FileStatus;
  /** Why the whole file is rejected: its only error message says so. */
  readonly fileError?: ErrorCode;
  /** Why the batch does not use the file: `SECOND_FILE_OF_KIND`, `FILE_NOT_IN_MANIFEST`… */
  readonly problem?: ErrorCode;
  /** Error messages of the join about its rows (orphans, repeated references, their summary). */
  readonly referentialErrors: number;
}

/**
 * - `clean`: the pipeline would send only customer messages.
 * - `errors`: the batch completes, but with error messages (rows, references, files or keys).
 * - `incomplete`: the batch would never be aggregated: a file is missing, rejected as a whole,
 *   or not what the manifest says, or the manifest is invalid.
 */
export type BatchVerdict = 'clean' | 'errors' | 'incomplete';

/** A file the batch needs but could not use, and why (the lifecycle's words). */
export interface BlockedFile {
  readonly file: string;
  readonly reason: string;
}

/** The outcome of {@link validateBatchFolder}. */
export interface BatchCheck {
  readonly batchId: string;
  readonly verdict: BatchVerdict;
  /** Whether the folder has a `_manifest.json`, and whether ingest would accept it. */
  readonly manifest: 'none' | 'valid' | 'invalid';
  /** The batch's files in the order they were checked (see {@link validateBatchFolder}). */
  readonly files: readonly FileCheck[];
  /** Kinds (without a manifest) or listed file names (with one) the folder has no file for. */
  readonly missing: readonly string[];
  /** Files the batch needs but cannot use. */
  readonly blocked: readonly BlockedFile[];
  /** `.csv` files whose name gives no kind: each got a `KEY_INVALID` error message. */
  readonly keyErrors: readonly string[];
  /** Customer messages the aggregator would send; absent when the batch would not be joined. */
  readonly customerMessages?: number;
  /** Error messages sent to the sink. */
  readonly errorMessages: number;
  /** Folder entries that are not part of the upload (sub-folders, files not ending in `.csv`). */
  readonly ignored: readonly string[];
}

/** A file of the folder and how its reading went. */
interface CheckedFile {
  readonly file: BatchFolderFile;
  readonly read: BatchFileRead;
}

/** Feeds rows of one file of each kind to the join. */
const JOIN_ROWS: {
  readonly [K in FileKind]: (
    aggregation: BatchAggregation,
    rows: readonly StagedRowOfKind[K][],
    file: string,
  ) => void;
} = {
  customers: (aggregation, rows, file) => aggregation.addCustomers(rows, file),
  orders: (aggregation, rows, file) => aggregation.addOrders(rows, file),
  items: (aggregation, rows, file) => aggregation.addItems(rows, file),
};

/** Hands rows of one file to the join, while `aggregation()` gives one. */
const joinerOf =
  <K extends FileKind>(kind: K, file: string, aggregation: () => BatchAggregation | undefined) =>
  (rows: readonly StagedRowOfKind[K][]): void => {
    const joining = aggregation();
    if (joining !== undefined) JOIN_ROWS[kind](joining, rows, file);
  };

/**
 * The version of every upload in a check: a check uploads each key once, and versions only
 * tell uploads of one key apart. Message ids depend on it, but only bodies are printed.
 */
const LOCAL_VERSION = 'local';

/**
 * The revision whose messages the join's ids are scoped by: a new batch's first, which is the
 * one the pipeline allocates when uploads in name order complete the batch. Only bodies are
 * printed.
 */
const FIRST_REVISION = 1;

/**
 * Checks a batch folder with the pipeline's own rules and no AWS, as if the folder were uploaded
 * as a batch: `_manifest.json` first, then the `.csv` files one after the other in name order.
 * It sends to `sink` exactly the `error_message`s the pipeline would send:
 *
 * 1. `KEY_INVALID` for each `.csv` file whose name gives no kind; `BATCH_TOO_MANY_FILES` for
 *    each file past the first `MAX_KEYS_PER_BATCH` in name order (not read);
 * 2. `MANIFEST_INVALID` when `_manifest.json` is not a valid manifest (checked as ingest does);
 * 3. per file, customers then orders then items (within a kind, the files `_manifest.json`
 *    lists in its order, then the others in name order): its row errors (and
 *    `TOO_MANY_ROW_ERRORS`), or only its file error when the file is rejected as a whole;
 * 4. why a file does not count, as the batch lifecycle decides it (`problemOfFile` on the state
 *    that `commitPlan`, `commitStagedUpload` and `commitRejectedUpload` build):
 *    `SECOND_FILE_OF_KIND`, `FILE_NOT_IN_MANIFEST`, `FILE_DOES_NOT_MATCH_MANIFEST`;
 * 5. when the lifecycle finds the batch complete (`selectFiles`): the referential errors of the
 *    join of the files that count (`BatchAggregation`, capped per file at `maxRowErrors`).
 *
 * Customer messages are counted, not sent. Memory stays flat in the size of the items files:
 * customers and orders that count are held (the join needs them), items stream through the join,
 * rows of files that do not count are dropped as read, and a file's row errors wait (at most
 * `maxRowErrors` + 1) until the file turns out not to be rejected as a whole. Referential errors
 * are held until the join ends, as in the aggregator.
 *
 * Which files to join is decided before reading, from the state the batch would reach if every
 * file read as the manifest says; a file that then reads otherwise (rejected, or another row
 * count or digest) blocks the batch, so the join is dropped and the batch is not complete.
 *
 * Throws `BatchFolderError` for a folder it cannot read, and passes on read failures of files.
 *
 * @example
 * ```ts
 * const check = await validateBatchFolder('./2024-06-01', { sink, validators, manifestValidator }, settings);
 * check.verdict; // 'errors'
 * ```
 */
export const validateBatchFolder = async (
  folder: string,
  dependencies: BatchCheckDependencies,
  settings: BatchCheckSettings,
): Promise<BatchCheck> => {
  const read = await readBatchFolder(folder, settings.inputPrefix);
  const { batchId } = read;
  // As ingest does: past the most keys a batch records, new files are neither read nor counted.
  const batch = { ...read, files: read.files.slice(0, MAX_KEYS_PER_BATCH) };
  const refused = read.files.slice(MAX_KEYS_PER_BATCH);
  let errorMessages = 0;
  const send = async (origin: MessageOrigin, errors: readonly RowError[]) => {
    errorMessages += errors.length;
    await dependencies.sink.send(
      errors.map((error) => outboundMessageOf(origin, errorMessageOf(batchId, error))),
    );
  };
  const uploadOrigin = (file: string): MessageOrigin => ({
    batchId,
    objectKey: batchKeyOf(settings.inputPrefix, batchId, file),
    objectVersion: LOCAL_VERSION,
  });

  for (const error of batch.keyErrors) await send(uploadOrigin(error.file), [error]);
  for (const file of refused) await send(uploadOrigin(file.file), [tooManyFilesError(file.file)]);
  const plan = await planOf(batch, dependencies.manifestValidator, (error) =>
    send(uploadOrigin(BATCH_MANIFEST_FILE), [error]),
  );

  const order = readingOrder(batch.files, plan);
  const joining = joinedKeys(batchId, plan, batch.files, settings);
  let aggregation: BatchAggregation | undefined =
    joining === undefined
      ? undefined
      : new BatchAggregation({ batchId, maxErrorsPerFile: settings.maxRowErrors });
  const checked: CheckedFile[] = [];
  for (const file of order) {
    const inJoin = joining?.has(file.key) === true;
    const read = await checkBatchFile(file, settings, {
      validators: dependencies.validators,
      progress: dependencies.progress,
      accept: joinerOf(file.kind, file.file, () => (inJoin ? aggregation : undefined)),
    });
    // A file of the join rejected as a whole blocks the batch: the rows joined are void.
    if (read.status === 'rejected' && inJoin) aggregation = undefined;
    await send(uploadOrigin(file.file), read.status === 'staged' ? read.errors : [read.error]);
    checked.push({ file, read });
  }

  // Committed as uploaded: in name order.
  const uploaded = [...checked].sort(
    (a, b) => batch.files.indexOf(a.file) - batch.files.indexOf(b.file),
  );
  const state = batchStateOf(
    batchId,
    plan,
    uploaded.map(({ file, read }) => uploadOf(file, read, settings)),
  );
  for (const { file } of checked) {
    const problem = state && problemOfFile(state, file.key);
    if (problem !== undefined) await send(uploadOrigin(file.file), [problem]);
  }

  const selection: FileSelection = state
    ? selectFiles(state)
    : { status: 'waiting', missing: [...FILE_KINDS], blocked: [] };
  const joined = selection.status === 'ready' ? aggregation?.finish() : undefined;
  const referential = new Map<string, number>();
  if (joined !== undefined) {
    const origin = { batchId, revision: FIRST_REVISION };
    await dependencies.sink.send(
      joined.errors.map((message) => outboundMessageOf(origin, message)),
    );
    errorMessages += joined.errors.length;
    for (const { file } of joined.errors) {
      if (file !== undefined) referential.set(file, (referential.get(file) ?? 0) + 1);
    }
  }
  return {
    batchId,
    verdict: joined === undefined ? 'incomplete' : errorMessages > 0 ? 'errors' : 'clean',
    manifest: plan === undefined ? 'none' : plan.status === 'valid' ? 'valid' : 'invalid',
    files: checked.map(({ file, read }) =>
      fileCheckOf(file, read, state, referential.get(file.file) ?? 0),
    ),
    missing: selection.status === 'waiting' ? selection.missing : [],
    blocked: selection.status === 'waiting' ? selection.blocked : [],
    keyErrors: batch.keyErrors.map((error) => error.file),
    ...(joined !== undefined && { customerMessages: joined.customers.length }),
    errorMessages,
    ignored: batch.ignored,
  };
};

/** The folder's manifest as ingest records it, reporting it through `reject` if invalid. */
const planOf = async (
  batch: BatchFolder,
  validator: BatchManifestValidator,
  reject: (error: RowError) => Promise<void>,
): Promise<BatchPlan | undefined> => {
  if (batch.manifest === undefined) return undefined;
  const upload = { version: LOCAL_VERSION, sequencer: '0' };
  const checked = batchPlanOf(batch.manifest.text, validator);
  if (checked.success) return { status: 'valid', ...upload, files: checked.files };
  await reject(checked.error);
  return { status: 'rejected', ...upload, code: checked.error.code };
};

/**
 * The order files are checked in: customers, orders, items; within a kind, those the manifest
 * lists in its order, then the others in name order. It is the join's order for the files that
 * count, which come first in their kind.
 */
const readingOrder = (
  files: readonly BatchFolderFile[],
  plan: BatchPlan | undefined,
): BatchFolderFile[] => {
  const listed = plan?.status === 'valid' ? plan.files.map((planned) => planned.file) : [];
  const rank = (file: BatchFolderFile) => {
    const index = listed.indexOf(file.file);
    return index === -1 ? listed.length : index;
  };
  // Array.prototype.sort is stable: files of equal rank keep their name order.
  return [...files].sort(
    (a, b) => FILE_KINDS.indexOf(a.kind) - FILE_KINDS.indexOf(b.kind) || rank(a) - rank(b),
  );
};

/**
 * The keys of the files the batch would use if every file read as the manifest says (or,
 * without one, read at all), or `undefined` when even then the batch would not be complete.
 * Decided before reading, so items can stream through the join.
 */
const joinedKeys = (
  batchId: string,
  plan: BatchPlan | undefined,
  files: readonly BatchFolderFile[],
  settings: BatchCheckSettings,
): ReadonlySet<string> | undefined => {
  const planned = plan?.status === 'valid' ? plan.files : [];
  const assumed = (file: BatchFolderFile): BatchFileRead => {
    const entry: PlannedFile | undefined = planned.find(
      (candidate) => candidate.file === file.file,
    );
    return {
      status: 'staged',
      rowsRead: entry?.rows ?? 0,
      accepted: entry?.rows ?? 0,
      rejected: 0,
      sha256: entry?.sha256 ?? '',
      errors: [],
    };
  };
  const state = batchStateOf(
    batchId,
    plan,
    files.map((file) => uploadOf(file, assumed(file), settings)),
  );
  const selection = state && selectFiles(state);
  return selection?.status === 'ready'
    ? new Set(selection.files.map((file) => file.key))
    : undefined;
};

/** A file as ingest would commit it, from how its reading went. */
const uploadOf = (
  file: BatchFolderFile,
  read: BatchFileRead,
  settings: BatchCheckSettings,
): FolderUpload => {
  const identity = {
    key: file.key,
    kind: file.kind,
    file: file.file,
    version: LOCAL_VERSION,
    sequencer: '0',
  };
  if (read.status === 'rejected') {
    return { status: 'rejected', upload: { ...identity, code: read.error.code } };
  }
  return {
    status: 'staged',
    upload: {
      ...identity,
      chunks: 0,
      rowsRead: read.rowsRead,
      rowCount: read.accepted,
      sha256: read.sha256,
      expiresAt: CHECKED_AT + settings.stagedRowsTtlMs,
    },
  };
};

/** How the batch, as the lifecycle left it, treats one file. */
const fileCheckOf = (
  file: BatchFolderFile,
  read: BatchFileRead,
  state: BatchState | undefined,
  referentialErrors: number,
): FileCheck => {
  const base = { kind: file.kind, file: file.file, referentialErrors };
  if (read.status === 'rejected') {
    return {
      ...base,
      rowsRead: read.rowsRead,
      accepted: read.accepted,
      rejected: read.rejected,
      status: 'rejected',
      fileError: read.error.code,
    };
  }
  const counts = {
    ...base,
    rowsRead: read.rowsRead,
    accepted: read.accepted,
    rejected: read.rejected,
    sha256: read.sha256,
  };
  const problem = state && problemOfFile(state, file.key);
  if (problem !== undefined) return { ...counts, status: 'not-used', problem: problem.code };
  return { ...counts, status: state?.plan?.status === 'rejected' ? 'waiting' : 'counted' };
};
