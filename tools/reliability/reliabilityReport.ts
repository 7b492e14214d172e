import type { ScenarioResult } from './runScenario';

/** The report `npm run reliability` prints and writes as JSON. */
export interface ReliabilityReport {
  readonly startedAt: string;
  readonly quick: boolean;
  readonly passed: boolean;
  readonly wallMs: number;
  readonly scenarios: readonly ScenarioResult[];
}

const COLUMNS = [
  'scenario',
  'iterations',
  'faults injected',
  'batches correct',
  'rows lost',
  'duplicate ids',
  'unexpected messages',
  'Errors',
  'DLQ',
  'max age',
  'upload to summary',
  'wall time',
  'result',
] as const;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const rowOf = (result: ScenarioResult): string[] => [
  result.scenario,
  String(result.iterations),
  String(result.faultsInjected),
  `${result.batchesCorrect}/${result.batches}`,
  String(result.rowsLost),
  String(result.duplicateIds),
  String(result.unexpectedMessages),
  result.timeouts > 0 ? `${result.errors} (${result.timeouts} timeouts)` : String(result.errors),
  String(Object.values(result.dlqMessages).reduce((sum, count) => sum + count, 0)),
  seconds(result.maxIngestMessageAgeMs),
  result.maxUploadToSummaryMs === undefined ? '' : seconds(result.maxUploadToSummaryMs),
  seconds(result.wallMs),
  result.passed
    ? 'pass'
    : `FAIL (seeds ${result.failures.map((failure) => failure.seed).join(', ')})`,
];

/**
 * The report as a Markdown table (readable in a terminal, pasteable in docs): one row per
 * scenario, a total row, and the alarm inputs (Lambda Errors, messages in DLQs, the oldest
 * ingest message's age at receipt), and, for the scenarios that time it, the longest time from
 * a batch's last upload to its latest revision's `batch_summary`.
 *
 * @example
 * process.stdout.write(formatReliabilityTable(report));
 */
export const formatReliabilityTable = (report: ReliabilityReport): string => {
  const rows = report.scenarios.map(rowOf);
  const total = (pick: (result: ScenarioResult) => number) =>
    String(report.scenarios.reduce((sum, result) => sum + pick(result), 0));
  rows.push([
    'total',
    total((result) => result.iterations),
    total((result) => result.faultsInjected),
    `${total((result) => result.batchesCorrect)}/${total((result) => result.batches)}`,
    total((result) => result.rowsLost),
    total((result) => result.duplicateIds),
    total((result) => result.unexpectedMessages),
    total((result) => result.errors),
    total((result) => Object.values(result.dlqMessages).reduce((sum, count) => sum + count, 0)),
    '',
    '',
    seconds(report.wallMs),
    report.passed ? 'pass' : 'FAIL',
  ]);
  const widths = COLUMNS.map((column, index) =>
    Math.max(column.length, ...rows.map((row) => (row[index] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join(' | ')} |`;
  return [
    line(COLUMNS),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...rows.map(line),
  ]
    .map((text) => `${text}\n`)
    .join('');
};
