import { once } from 'node:events';
import csvParser from 'csv-parser';
import { CsvFileError } from './CsvFileError';
import { readCsvRecordBatches } from './readCsvRecords';
import { utf8Chunks } from './utf8Chunks';

/** What reading an input gave: its records, then the failure that ended it, if any. */
interface Reading {
  readonly records: [number, readonly string[]][];
  readonly failure?: { readonly code: string; readonly line: number; readonly message: string };
}

/**
 * The reference: csv-parser 3 itself, configured and driven as `readCsvRecordBatches` drove it
 * before it had a scanner of its own, on the same chunks. Lines come from the line feeds inside
 * each row's values (every one was quoted); an input ending inside quotes fails at its last
 * record. The lone-CR check of the first line is the reader's own, so inputs here have none.
 */
async function readWithCsvParser(chunks: readonly Buffer[], maxLineBytes: number) {
  const parser = csvParser({ headers: false, maxRowBytes: maxLineBytes });
  const rows: Record<number, string>[] = [];
  parser.on('data', (row: Record<number, string>) => rows.push(row));
  parser.on('error', () => undefined);
  const records: [number, readonly string[]][] = [];
  let nextLine = 1;
  let quotes = 0;
  const take = () => {
    for (const row of rows.splice(0)) {
      const values: string[] = [];
      for (let index = 0; row[index] !== undefined; index++) values.push(row[index] ?? '');
      if (values.length > 0) records.push([nextLine, values]);
      nextLine += 1 + values.join('').split('\n').length - 1;
    }
  };
  const source = async function* () {
    yield* chunks;
  };
  try {
    for await (const chunk of utf8Chunks(source())) {
      quotes += chunk.toString('latin1').split('"').length - 1;
      const failure = await new Promise((resolve) => parser.write(chunk, resolve));
      take();
      if (failure) {
        return {
          records,
          failure: {
            code: 'LINE_TOO_LONG',
            line: nextLine,
            message: `the record starting on this line is longer than ${maxLineBytes} bytes`,
          },
        };
      }
    }
    const ended = once(parser, 'end');
    parser.end();
    await ended;
    const lineBefore = nextLine;
    take();
    if (quotes % 2 === 1) {
      const last = records.pop();
      return {
        records,
        failure: {
          code: 'FILE_MALFORMED_CSV',
          line: last?.[0] ?? lineBefore,
          message: 'a quote opened in the record starting on this line is never closed',
        },
      };
    }
    return { records };
  } finally {
    parser.destroy();
  }
}

async function readWithScanner(chunks: readonly Buffer[], maxLineBytes: number) {
  const records: [number, readonly string[]][] = [];
  const source = async function* () {
    yield* chunks;
  };
  try {
    for await (const batch of readCsvRecordBatches(source(), { maxLineBytes })) {
      for (const { line, values } of batch) records.push([line, values]);
    }
  } catch (error) {
    if (!(error instanceof CsvFileError)) throw error;
    return { records, failure: { code: error.code, line: error.line, message: error.message } };
  }
  return { records };
}

/** A small seeded generator (mulberry32), so every case can be replayed. */
const seededRandom = (seed: number) => {
  let state = seed >>> 0;
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
};

/** What CSV is made of, and what breaks it: quotes, separators, line breaks, multi-byte text. */
const PIECES = [
  'a',
  'bc',
  '1',
  ',',
  ',',
  '"',
  '"',
  '""',
  '\n',
  '\n',
  '\r\n',
  '\r',
  ' ',
  'é',
  '€',
  '🎉',
];

const randomInput = (random: () => number): string => {
  const pieces: string[] = ['h,i\n'];
  const length = Math.floor(random() * 40);
  for (let index = 0; index < length; index++) {
    pieces.push(PIECES[Math.floor(random() * PIECES.length)] ?? '');
  }
  return pieces.join('');
};

const chunksOf = (bytes: Buffer, random: () => number): Buffer[] => {
  const chunks: Buffer[] = [];
  const largest = [1, 3, 7, 64][Math.floor(random() * 4)] ?? 64;
  for (let start = 0; start < bytes.length;) {
    const size = 1 + Math.floor(random() * largest);
    chunks.push(bytes.subarray(start, start + size));
    start += size;
  }
  return chunks;
};

describe('CsvRecordScanner, through readCsvRecordBatches', () => {
  it.each(Array.from({ length: 40 }, (_, index) => index + 1))(
    'reads 50 random inputs exactly as csv-parser does (seed %i)',
    async (seed) => {
      const random = seededRandom(seed);
      for (let round = 0; round < 50; round++) {
        const bytes = Buffer.from(randomInput(random));
        const chunks = chunksOf(bytes, random);
        const maxLineBytes = [6, 12, 30, 1_000][Math.floor(random() * 4)] ?? 1_000;
        // Copies: csv-parser undoubles quotes in the bytes it is given.
        const reference: Reading = await readWithCsvParser(
          chunks.map((chunk) => Buffer.from(chunk)),
          maxLineBytes,
        );
        const read: Reading = await readWithScanner(chunks, maxLineBytes);
        expect({ input: bytes.toString(), maxLineBytes, ...read }).toEqual({
          input: bytes.toString(),
          maxLineBytes,
          ...reference,
        });
      }
    },
  );

  it('reads a generated file exactly as csv-parser does, whatever its chunks', async () => {
    const random = seededRandom(7);
    const lines = ['order_reference,item_name,quantity,total_price'];
    for (let line = 0; line < 2_000; line++) {
      const name = random() < 0.1 ? `"Mug, ""large"" ${line}\r\nblue"` : `Mug ${line}`;
      lines.push(`O${line},${name},${1 + (line % 9)},${line}.99`);
    }
    const bytes = Buffer.from(`${lines.join('\r\n')}\r\n`);
    for (const size of [1_000, 4_096, 65_536]) {
      const chunks: Buffer[] = [];
      for (let start = 0; start < bytes.length; start += size) {
        chunks.push(bytes.subarray(start, start + size));
      }
      const reference = await readWithCsvParser(
        chunks.map((chunk) => Buffer.from(chunk)),
        1_048_576,
      );
      expect(reference.records).toHaveLength(2_001);
      expect(await readWithScanner(chunks, 1_048_576)).toEqual(reference);
    }
  });
});
