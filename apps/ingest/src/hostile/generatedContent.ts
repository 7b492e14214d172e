/**
 * Builders of hostile test inputs as generators of byte chunks, so a large object (a 20 MB line,
 * 200,000 rows) is made piece by piece while it is read and never exists as a whole.
 */

/** An object's content: a fresh iterable of its bytes on every call. */
export type GeneratedContent = () => Iterable<Uint8Array>;

/** About what S3 streams yield per read. */
export const CHUNK_BYTES = 64 * 1024;

/** `content` (text or bytes) cut into chunks of {@link CHUNK_BYTES}. */
export const bytesOf = (content: string | Uint8Array): GeneratedContent =>
  function* () {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    for (let start = 0; start < bytes.length; start += CHUNK_BYTES) {
      yield bytes.subarray(start, start + CHUNK_BYTES);
    }
  };

/** The pieces in order, each given as text or bytes or as generated content. */
export const concatenated = (
  ...pieces: readonly (string | Uint8Array | GeneratedContent)[]
): GeneratedContent =>
  function* () {
    for (const piece of pieces) yield* typeof piece === 'function' ? piece() : bytesOf(piece)();
  };

/** `line(n)` for n = 0 … count - 1, each followed by `lineEnd`, packed into chunks. */
export const generatedLines = (
  count: number,
  line: (index: number) => string,
  lineEnd = '\n',
): GeneratedContent =>
  function* () {
    let pending = '';
    for (let index = 0; index < count; index++) {
      pending += `${line(index)}${lineEnd}`;
      if (pending.length >= CHUNK_BYTES) {
        yield Buffer.from(pending, 'utf8');
        pending = '';
      }
    }
    if (pending.length > 0) yield Buffer.from(pending, 'utf8');
  };

/** `bytes` bytes of one ASCII character, reusing one chunk so generating them costs nothing. */
export const repeatedCharacter = (character: string, bytes: number): GeneratedContent =>
  function* () {
    const chunk = Buffer.alloc(CHUNK_BYTES, character, 'latin1');
    for (let left = bytes; left > 0; left -= CHUNK_BYTES) {
      yield left >= CHUNK_BYTES ? chunk : chunk.subarray(0, left);
    }
  };

/** `bytes` pseudo-random bytes (xorshift32 from `seed`): the same bytes on every run. */
export const randomBytes = (bytes: number, seed: number): GeneratedContent =>
  function* () {
    let state = seed >>> 0 || 1;
    for (let left = bytes; left > 0; left -= CHUNK_BYTES) {
      const chunk = Buffer.alloc(Math.min(left, CHUNK_BYTES));
      for (let index = 0; index < chunk.length; index++) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        state >>>= 0;
        chunk[index] = state & 0xff;
      }
      yield chunk;
    }
  };

/** The total size of `content`, as an S3 event would report it. */
export const sizeOf = (content: GeneratedContent): number => {
  let size = 0;
  for (const chunk of content()) size += chunk.length;
  return size;
};
