import type { BatchDescription } from '@tally/domain';
import type { BatchStatus } from './readBatchDescription';
import type { QueueKey } from '@tally/local-stack';

/** Messages in each DLQ (visible or in flight); a queue whose URL is unknown is left out. */
export type DlqDepths = Partial<Record<QueueKey, number>>;

const time = (epochMs: number): string => new Date(epochMs).toISOString();

/** Left-aligns the first column and the last two, right-aligns the numbers between them. */
const table = (rows: readonly (readonly string[])[]): string[] => {
  const widths = (rows[0] ?? []).map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  const numbers = new Set([3, 4, 5]);
  return rows.map((row) =>
    row
      .map((cell, column) =>
        numbers.has(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd(),
  );
};

const headline = (description: BatchDescription): string => {
  const revision = description.revision?.number;
  switch (description.phase) {
    case 'aggregated':
      return `aggregated (revision ${revision})`;
    case 'aggregating':
      return `aggregating revision ${revision}`;
    case 'expired':
      return `revision ${revision} expired before it was aggregated: upload its files again`;
    case 'incomplete':
      return 'incomplete: not every file is staged yet';
  }
};

const manifestLine = (description: BatchDescription): string => {
  const manifest = description.manifest;
  if (manifest === undefined) return 'manifest    none (one file per kind)';
  return manifest.status === 'valid'
    ? `manifest    ${manifest.files.length} file(s): ${manifest.files.map((file) => file.file).join(', ')}`
    : `manifest    rejected (${manifest.code})`;
};

const readinessLines = (description: BatchDescription): string[] => {
  const readiness = description.readiness;
  if (readiness.status === 'ready') return ['files       complete'];
  return [
    `files       waiting${readiness.missing.length > 0 ? ` for ${readiness.missing.join(', ')}` : ''}`,
    ...readiness.blocked.map((blocked) => `            ${blocked.file}: ${blocked.reason}`),
  ];
};

const revisionLine = (description: BatchDescription): string => {
  const revision = description.revision;
  if (revision === undefined) return 'revision    none yet';
  return `revision    ${revision.number}, ${revision.files.map((file) => file.file).join(', ')} (${time(revision.createdAt)})`;
};

const leaseLine = (description: BatchDescription): string => {
  const lease = description.lease;
  if (lease === undefined) return 'lease       none';
  const holder =
    lease.handedBy === undefined
      ? lease.owner
      : `handed over by ${lease.handedBy} to continuation ${lease.owner}`;
  return `lease       revision ${lease.revision}, ${holder}, ${lease.live ? 'held' : 'lapsed'} until ${time(lease.leaseUntil)}; ${lease.sent} message(s) sent so far`;
};

const runLines = (description: BatchStatus): string[] => {
  const run = description.run;
  if (run === undefined) return [];
  const finish = run.finishStarted ? 'finish started' : 'finish not started';
  return [
    `partitions  ${run.partitions}: orders tasks ${run.ordersDone}/${run.partitions} done, customers tasks ${run.customersDone}/${run.partitions} done, ${finish}`,
  ];
};

const aggregatedLine = (description: BatchDescription): string => {
  const aggregated = description.aggregated;
  if (aggregated === undefined) return 'aggregated  no';
  const sent = `${aggregated.customerMessages} customer and ${aggregated.errorMessages} error message(s) sent`;
  return aggregated.outcome === 'sent'
    ? `aggregated  revision ${aggregated.revision}: ${sent}`
    : `aggregated  revision ${aggregated.revision} expired: ${sent}`;
};

/** The DLQ line: the depth of each DLQ known, or why none is shown. */
export const dlqLine = (depths: DlqDepths): string => {
  const known = Object.entries(depths);
  return known.length === 0
    ? 'DLQs        unknown (no DLQ URLs: use --local or --env)'
    : `DLQs        ${known.map(([queue, depth]) => `${queue} ${depth}`).join(', ')}`;
};

/**
 * `tally status` for people: the phase, then each file with its version, staged rows and
 * whether it counts, the manifest, readiness, revision, lease and progress, what was aggregated,
 * and the DLQs.
 *
 * @example
 * io.stdout.write(formatBatchStatus(description, { ingest: 0, aggregation: 0, output: 0 }));
 */
export const formatBatchStatus = (description: BatchStatus, depths: DlqDepths): string => {
  const fileRows = description.files.map((file) => [
    file.file,
    file.kind,
    file.version,
    file.rowsRead === undefined ? '-' : String(file.rowsRead),
    file.rowCount === undefined ? '-' : String(file.rowCount),
    file.chunks === undefined ? '-' : String(file.chunks),
    file.status === 'rejected'
      ? `rejected (${file.code})`
      : `${file.current ? 'current' : 'not used'}${file.expired ? ', rows expired' : ''}${file.problem === undefined ? '' : `: ${file.problem}`}`,
  ]);
  return `${[
    `batch ${JSON.stringify(description.batchId)}: ${headline(description)}`,
    '',
    ...(fileRows.length === 0
      ? ['no file recorded']
      : table([
          ['file', 'kind', 'version', 'rows read', 'staged', 'chunks', 'status'],
          ...fileRows,
        ])),
    '',
    manifestLine(description),
    ...readinessLines(description),
    revisionLine(description),
    leaseLine(description),
    ...runLines(description),
    aggregatedLine(description),
    dlqLine(depths),
    `updated     ${time(description.updatedAt)}; forgotten after ${time(description.expiresAt)}`,
  ].join('\n')}\n`;
};
