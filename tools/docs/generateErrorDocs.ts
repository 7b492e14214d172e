// `npm run docs:errors`: writes docs/errors.md from ERROR_CATALOGUE. errorDocsMarkdown.test.ts
// fails while the committed file differs from what this writes.
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ERROR_DOCS_PATH, errorDocsMarkdown } from './errorDocsMarkdown';

writeFileSync(ERROR_DOCS_PATH, errorDocsMarkdown());
process.stderr.write(`wrote ${relative(process.cwd(), ERROR_DOCS_PATH)}\n`);
