import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Writes a batch folder named `batchId` in a fresh temporary directory, one file per entry of
 * `files` (name → content), and returns its path.
 *
 * @example
 * ```ts
 * const folder = writeBatchFolder('b1', { 'customers.csv': 'customer_reference,...\n' });
 * ```
 */
export const writeBatchFolder = (batchId: string, files: Readonly<Record<string, string>>) => {
  const folder = join(mkdtempSync(join(tmpdir(), 'tally-validate-')), batchId);
  mkdirSync(folder);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(folder, name), content);
  return folder;
};
