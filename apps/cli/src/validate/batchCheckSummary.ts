import { BATCH_MANIFEST_FILE, FILE_KINDS, kindOfName } from '@tally/domain';
import type { BatchCheck, FileCheck } from './validateBatchFolder';

const HEADER = ['file', 'rows read', 'accepted', 'rejected', 'ref. errors', 'status'] as const;

/**
 * The human summary of a batch check, for stderr: what the batch's manifest says, then one
 * table row per file, customers then orders then items (rows read, accepted and rejected by
 * ingest, the join's referential error messages about it, and whether the batch counts it, does
 * not use it and why, or rejects it as a whole), a row per missing file, then the message
 * counts and the verdict with its reasons. Referential errors read `-` for a file the join does
 * not read.
 *
 * @example
 * ```ts
 * process.stderr.write(batchCheckSummary(check));
 * ```
 */
export const batchCheckSummary = (check: BatchCheck): string => {
  const joined = check.customerMessages !== undefined;
  const rows = FILE_KINDS.flatMap((kind) => [
    ...check.files
      .filter((file) => file.kind === kind)
      .map((file) => [
        file.file,
        String(file.rowsRead),
        String(file.accepted),
        String(file.rejected),
        joined && file.status === 'counted' ? String(file.referentialErrors) : '-',
        statusOf(file),
      ]),
    ...check.missing
      .filter((missing) => kindOfName(missing) === kind)
      .map((missing) => [missingName(check, missing), '-', '-', '-', '-', 'missing']),
  ]);
  const lines = [
    `batch ${JSON.stringify(check.batchId)}`,
    manifestLine(check),
    ...table([[...HEADER], ...rows]),
  ];
  if (check.keyErrors.length > 0) {
    lines.push(`not a batch file (KEY_INVALID): ${check.keyErrors.join(', ')}`);
  }
  if (check.ignored.length > 0)
    lines.push(
      `ignored (not ending in lower-case .csv, so the bucket would not notify Tally of them): ${check.ignored.join(', ')}`,
    );
  lines.push(
    joined
      ? `customer messages: ${check.customerMessages} (the pipeline would send them; not printed)`
      : 'customer messages: none, the batch would not be aggregated',
    `error messages: ${check.errorMessages} (on stdout)`,
    verdictLine(check),
  );
  return `${lines.join('\n')}\n`;
};

const manifestLine = (check: BatchCheck): string => {
  if (check.manifest === 'valid')
    return `${BATCH_MANIFEST_FILE}: valid, so the batch is exactly the files it lists`;
  if (check.manifest === 'invalid')
    return `${BATCH_MANIFEST_FILE}: invalid (MANIFEST_INVALID), so no file counts until a valid one is uploaded`;
  return `no ${BATCH_MANIFEST_FILE}, so one file per kind: the first in name order`;
};

/** A listed file name with a manifest; a kind (`items`) without one. */
const missingName = (check: BatchCheck, missing: string): string =>
  check.manifest === 'valid' ? missing : `${missing}*.csv`;

const statusOf = (file: FileCheck): string => {
  if (file.status === 'counted') return 'counted';
  if (file.status === 'rejected') return `rejected as a whole (${file.fileError})`;
  if (file.status === 'waiting') return `not used until ${BATCH_MANIFEST_FILE} is valid`;
  return `not used (${file.problem})`;
};

const verdictLine = (check: BatchCheck): string => {
  if (check.verdict === 'clean') return 'result: clean';
  if (check.verdict === 'errors') return 'result: errors';
  const reasons = [
    ...check.missing.map((missing) => `no ${missingName(check, missing)}`),
    ...check.blocked.map((blocked) => `${blocked.file}: ${blocked.reason}`),
  ];
  return `result: incomplete, the batch cannot be aggregated (${reasons.join('; ')})`;
};

/** Left-aligns the first and last columns, right-aligns the numbers between them. */
const table = (cells: readonly (readonly string[])[]): string[] => {
  const widths = HEADER.map((_, column) =>
    Math.max(...cells.map((row) => (row[column] ?? '').length)),
  );
  const last = HEADER.length - 1;
  return cells.map((row) =>
    row
      .map((cell, column) =>
        column === 0
          ? cell.padEnd(widths[column] ?? 0)
          : column === last
            ? cell
            : cell.padStart(widths[column] ?? 0),
      )
      .join('  '),
  );
};
