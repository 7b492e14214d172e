import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Pieces are joined into writes of about this many characters: few syscalls, little memory. */
const WRITE_CHARACTERS = 64 * 1024;

/**
 * Writes the text pieces `pieces` yields to `path`, streaming: at most one ~64 KB write is
 * built at a time, and `pipeline` waits for the file stream to drain (backpressure), so a
 * million-line file never sits in memory.
 *
 * @example
 * ```ts
 * await writeTextStream('out.csv', (function* () { yield 'a,b\n'; yield '1,2\n'; })());
 * ```
 */
export const writeTextStream = (path: string, pieces: Iterable<string>): Promise<void> =>
  pipeline(Readable.from(batched(pieces), { objectMode: false }), createWriteStream(path));

function* batched(pieces: Iterable<string>): Generator<string> {
  let parts: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    parts.push(piece);
    length += piece.length;
    if (length >= WRITE_CHARACTERS) {
      yield parts.join('');
      parts = [];
      length = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}
