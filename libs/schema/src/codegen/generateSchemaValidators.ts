// `npm run generate:schemas`: writes the standalone validators of every schema into
// src/generated. renderSchemaValidators.test.ts fails while the checked-in files differ.
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { GENERATED_DIR, renderSchemaValidators } from './renderSchemaValidators';

for (const [file, text] of Object.entries(renderSchemaValidators())) {
  const path = join(GENERATED_DIR, file);
  writeFileSync(path, text);
  process.stderr.write(`wrote ${relative(process.cwd(), path)}\n`);
}
