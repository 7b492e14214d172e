import { readCsvRecords } from './readCsvRecords';
import type { CsvRecord } from './readCsvRecords';
import { untilRecordBoundary } from './untilRecordBoundary';
import type { SegmentEnd } from './untilRecordBoundary';

/** A CSV with quoted commas, doubled quotes, quoted line breaks, CRLF and empty lines. */
const CSV = [
  'ref,name,note',
  'R1,"Ada, L",plain',
  'R2,"say ""hi""","two',
  'lines"',
  '',
  'R3,x,"a ""quoted"" ""line""',
  'break"\r',
  'R4,é日本,last',
  '',
].join('\n');

/** Copies, as a stream gives them, of the chunks of `bytes`. */
async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield Buffer.from(bytes.subarray(at, at + size));
}

const collect = async (records: AsyncIterable<CsvRecord>) => {
  const all: CsvRecord[] = [];
  for await (const record of records) all.push(record);
  return all;
};

/** Reads `bytes` in segments of about `segmentBytes`, each from where the last one ended. */
const readInSegments = async (bytes: Buffer, segmentBytes: number, chunkBytes: number) => {
  const records: CsvRecord[] = [];
  let offset = 0;
  let line = 1;
  let segments = 0;
  for (;;) {
    const end: SegmentEnd = { bytes: 0, lineFeeds: 0, complete: false };
    const segment = untilRecordBoundary(
      chunked(bytes.subarray(offset), chunkBytes),
      (read) => read >= segmentBytes,
      end,
    );
    records.push(
      ...(await collect(
        readCsvRecords(segment, {
          maxLineBytes: 1024,
          ...(offset > 0 && { continuedAtLine: line }),
        }),
      )),
    );
    segments += 1;
    offset += end.bytes;
    line += end.lineFeeds;
    if (end.complete) return { records, segments };
  }
};

describe('untilRecordBoundary', () => {
  const bytes = Buffer.from(CSV, 'utf8');

  it.each([1, 3, 7, 16, 1_000])(
    'gives, segment after segment, exactly the records of the whole file (chunks of %i bytes)',
    async (chunkBytes) => {
      const whole = await collect(
        readCsvRecords(chunked(bytes, chunkBytes), { maxLineBytes: 1024 }),
      );
      for (const segmentBytes of [1, 5, 20, 33, 1_000]) {
        const { records, segments } = await readInSegments(bytes, segmentBytes, chunkBytes);
        expect(records).toEqual(whole);
        if (segmentBytes < bytes.length / 2 && chunkBytes < bytes.length / 2)
          expect(segments).toBeGreaterThan(1);
      }
    },
  );

  it('ends a segment on a line feed outside quotes, never inside a quoted value', async () => {
    const end: SegmentEnd = { bytes: 0, lineFeeds: 0, complete: false };
    const passed: Buffer[] = [];
    // Stop as soon as the quoted line break of R2 has been read.
    const stopAt = CSV.indexOf('"two') + 5;
    for await (const chunk of untilRecordBoundary(chunked(bytes, 1), (read) => read >= stopAt, end))
      passed.push(Buffer.from(chunk));
    expect(Buffer.concat(passed).toString('utf8')).toBe(CSV.slice(0, CSV.indexOf('lines"') + 7));
    expect(end).toEqual({
      bytes: Buffer.byteLength(CSV.slice(0, CSV.indexOf('lines"') + 7)),
      lineFeeds: 4,
      complete: false,
    });
  });

  it('closes the source when it stops early', async () => {
    let closed = false;
    async function* source() {
      try {
        yield* chunked(bytes, 4);
      } finally {
        closed = true;
      }
    }
    const end: SegmentEnd = { bytes: 0, lineFeeds: 0, complete: false };
    for await (const chunk of untilRecordBoundary(source(), () => true, end)) void chunk;
    expect(closed).toBe(true);
    expect(end.complete).toBe(false);
  });
});
