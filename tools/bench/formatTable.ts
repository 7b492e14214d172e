/** One line of a report table: a label, its value, and optionally the target and whether it is met. */
export interface TableRow {
  readonly label: string;
  readonly value: string;
  readonly target?: string;
  readonly met?: boolean;
}

/**
 * Lays out rows as a plain-text table with aligned columns; a row with a target gets `ok` or
 * `MISS` in a last column, and a row with an empty value is a section heading.
 *
 * @example
 * ```ts
 * formatTable([{ label: 'bundle', value: '0.98 MB', target: '< 1 MB', met: true }]);
 * ```
 */
export const formatTable = (rows: readonly TableRow[]): string => {
  const width = (pick: (row: TableRow) => string) =>
    Math.max(0, ...rows.filter((row) => row.value !== '').map((row) => pick(row).length));
  const labelWidth = width((row) => row.label);
  const valueWidth = width((row) => row.value);
  const targetWidth = width((row) => row.target ?? '');
  return rows
    .map((row) => {
      if (row.value === '') return `\n${row.label}`;
      const verdict = row.met === undefined ? '' : row.met ? 'ok' : 'MISS';
      const cells = [row.label.padEnd(labelWidth), row.value.padStart(valueWidth)];
      if (targetWidth > 0) cells.push((row.target ?? '').padEnd(targetWidth), verdict);
      return `  ${cells.join('  ')}`.trimEnd();
    })
    .join('\n')
    .trimStart();
};
