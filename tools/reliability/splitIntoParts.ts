import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** One part file written by {@link splitIntoParts}. */
export interface PartFile {
  readonly name: string;
  readonly path: string;
  /** Data rows, the header not counted. */
  readonly rows: number;
  /** Lower-case hex SHA-256 of the file's bytes. */
  readonly sha256: string;
}

/**
 * Splits a generated CSV file into `parts` files of consecutive rows, each with the header, next
 * to it as `<stem>-1.csv`, `<stem>-2.csv`…: a batch sent in parts. Generated rows hold no quoted
 * line breaks, so a line is a row.
 *
 * @example
 * const parts = await splitIntoParts(expected.files.items.path, 4); // items-1.csv … items-4.csv
 */
export const splitIntoParts = async (path: string, parts: number): Promise<PartFile[]> => {
  const [header = '', ...rows] = (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line !== '');
  const stem = path.slice(path.lastIndexOf('/') + 1).replace(/\.csv$/, '');
  const written: PartFile[] = [];
  for (let part = 0; part < parts; part += 1) {
    const slice = rows.slice(
      Math.floor((rows.length * part) / parts),
      Math.floor((rows.length * (part + 1)) / parts),
    );
    const text = `${[header, ...slice].join('\n')}\n`;
    const name = `${stem}-${part + 1}.csv`;
    const partPath = join(dirname(path), name);
    await writeFile(partPath, text);
    written.push({
      name,
      path: partPath,
      rows: slice.length,
      sha256: createHash('sha256').update(text).digest('hex'),
    });
  }
  return written;
};
