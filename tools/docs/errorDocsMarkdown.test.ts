import { readFileSync } from 'node:fs';
import { ERROR_DOCS_PATH, errorDocsMarkdown } from './errorDocsMarkdown';

describe('errorDocsMarkdown', () => {
  it('matches the committed docs/errors.md', () => {
    const committed = readFileSync(ERROR_DOCS_PATH, 'utf8');
    if (committed !== errorDocsMarkdown()) {
      throw new Error(
        'docs/errors.md is not what ERROR_CATALOGUE generates: run `npm run docs:errors` and commit the result',
      );
    }
  });

  it.each<{
    behaviour: string;
    catalogue: Record<string, { meaning: string; fix: string }>;
    row: string;
  }>([
    {
      behaviour: 'writes one row per code with its meaning and fix',
      catalogue: { FILE_EMPTY: { meaning: 'No header.', fix: 'Add one.' } },
      row: '| `FILE_EMPTY` | No header. | Add one. |',
    },
    {
      behaviour: 'escapes a pipe so it stays inside its cell',
      catalogue: { X: { meaning: 'a | b', fix: 'c' } },
      row: '| `X` | a \\| b | c |',
    },
    {
      behaviour: 'keeps a line break from splitting the row',
      catalogue: { X: { meaning: 'a\nb', fix: 'c' } },
      row: '| `X` | a b | c |',
    },
  ])('$behaviour', ({ catalogue, row }) => {
    const lines = errorDocsMarkdown(catalogue).split('\n');
    expect(lines.slice(lines.indexOf('| Code | Meaning | Fix |'))).toEqual([
      '| Code | Meaning | Fix |',
      '| --- | --- | --- |',
      row,
      '',
    ]);
  });
});
