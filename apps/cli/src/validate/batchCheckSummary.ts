import { FILE_KINDS } from '@tally/domain';
import type { BatchCheck, FileCheck } from './validateBatchFolder';

const HEADER = ['file', 'rows read', 'accepted', 'rejected', 'orphans', 'status'] as const;

/**
 * The human summary of a batch check, for stderr: one table row per kind (rows read, accepted,
 * rejected by ingest, orphans excluded by the join, and whether the file is accepted, rejected
 * as a whole or missing), then the message counts and the verdict. Orphans read `-` when the
 * batch would not be joined.
 *
 * @example
 * ```ts
 * process.stderr.write(batchCheckSummary(check));
 * ```
 */
export const batchCheckSummary = (check: BatchCheck): string => {
  const joined = check.customerMessages !== undefined;
  const rows = FILE_KINDS.map((kind) => {
    const file = check.files.find((candidate) => candidate.kind === kind);
    if (file === undefined) return [`${kind}*.csv`, '-', '-', '-', '-', 'missing'];
    return [
      file.file,
      String(file.rowsRead),
      String(file.accepted),
      String(file.rejected),
      joined ? String(file.referentialErrors) : '-',
      statusOf(file),
    ];
  });
  const lines = [`batch ${JSON.stringify(check.batchId)}`, ...table([[...HEADER], ...rows])];
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

const statusOf = (file: FileCheck): string =>
  file.fileError === undefined ? 'accepted' : `rejected as a whole (${file.fileError})`;

const verdictLine = (check: BatchCheck): string => {
  if (check.verdict === 'clean') return 'result: clean';
  if (check.verdict === 'errors') return 'result: errors';
  const reasons = [
    ...check.missing.map((kind) => `no ${kind}*.csv`),
    ...check.files
      .filter((file) => file.fileError !== undefined)
      .map((file) => `${file.file} rejected`),
  ];
  return `result: incomplete, the batch cannot be aggregated (${reasons.join(', ')})`;
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
