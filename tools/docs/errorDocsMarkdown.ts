import { join } from 'node:path';
import { ERROR_CATALOGUE } from '@tally/domain';

/** Where the generated catalogue lives, from the repository root. */
export const ERROR_DOCS_PATH = join(__dirname, '..', '..', 'docs', 'errors.md');

/** A catalogue entry as the docs show it. */
interface CatalogueEntry {
  readonly meaning: string;
  readonly fix: string;
}

/**
 * The text of `docs/errors.md`: a short intro, then one table row per error code of
 * `catalogue` (code, meaning, fix), in catalogue order. The table is in the compact form
 * Prettier keeps for tables wider than the print width, so formatting the file changes nothing.
 *
 * @example
 * ```ts
 * writeFileSync(ERROR_DOCS_PATH, errorDocsMarkdown());
 * ```
 */
export const errorDocsMarkdown = (
  catalogue: Readonly<Record<string, CatalogueEntry>> = ERROR_CATALOGUE,
): string => {
  const rows = Object.entries(catalogue).map(
    ([code, { meaning, fix }]) => `| \`${code}\` | ${cell(meaning)} | ${cell(fix)} |`,
  );
  return `<!-- Generated from ERROR_CATALOGUE (libs/domain/src/errors/errorCodes.ts) by \`npm run docs:errors\`; do not edit. -->

# Error codes

Every problem Tally finds in a batch becomes one \`error_message\` on the output queue (and one
line of \`npm run validate\`). Its \`code\` field holds one of the codes below; codes are stable:
they are never renamed, only added. The \`message\` field says the same for people, naming the
file and, where they apply, the line, column and value (also in the \`file\`, \`line\`,
\`column\` and \`value\` fields).

| Code | Meaning | Fix |
| --- | --- | --- |
${rows.join('\n')}
`;
};

/** A table cell: a pipe would end the cell, a line break the row. */
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
