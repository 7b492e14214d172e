import { CsvFileError } from './CsvFileError';
import type { CsvRecord } from './readCsvRecords';
import { readCsvRecordBatches, readCsvRecords } from './readCsvRecords';

/** The fix every UTF-16 message ends with. */
const SAVE_AS_UTF8 = 'save it as "CSV UTF-8" (in Excel: Save As, CSV UTF-8 (Comma delimited))';

const options = { maxLineBytes: 1_000 };

async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += size) {
    // Plain Uint8Array views, as some SDK streams yield, not Buffers.
    yield new Uint8Array(
      bytes.buffer,
      bytes.byteOffset + start,
      Math.min(size, bytes.length - start),
    );
  }
}

async function linesAndValues(
  bytes: Buffer,
  chunkSize: number,
  maxLineBytes = options.maxLineBytes,
): Promise<[number, readonly string[]][]> {
  const records: [number, readonly string[]][] = [];
  for await (const record of readCsvRecords(chunked(bytes, chunkSize), { maxLineBytes })) {
    records.push([record.line, record.values]);
  }
  return records;
}

async function failureOf(
  bytes: Buffer,
  chunkSize: number,
  maxLineBytes = options.maxLineBytes,
): Promise<{ lines: number[]; error: unknown }> {
  const lines: number[] = [];
  try {
    for await (const record of readCsvRecords(chunked(bytes, chunkSize), { maxLineBytes })) {
      lines.push(record.line);
    }
  } catch (error) {
    return { lines, error };
  }
  throw new Error('expected the reader to fail');
}

const CHUNK_SIZES = [1, 2, 3, 5, 64 * 1024];

describe('readCsvRecords', () => {
  describe.each(CHUNK_SIZES)('with chunks of %i bytes', (chunkSize) => {
    it.each<[string, string | Buffer, [number, string[]][]]>([
      [
        'reads LF lines',
        'a,b\n1,2\n',
        [
          [1, ['a', 'b']],
          [2, ['1', '2']],
        ],
      ],
      [
        'reads CRLF lines',
        'a,b\r\n1,2\r\n',
        [
          [1, ['a', 'b']],
          [2, ['1', '2']],
        ],
      ],
      [
        'reads a last line without a line break',
        'a,b\n1,2',
        [
          [1, ['a', 'b']],
          [2, ['1', '2']],
        ],
      ],
      [
        'removes a UTF-8 byte order mark from the first column name',
        '\uFEFFcustomer_reference,x\nC1,1\n',
        [
          [1, ['customer_reference', 'x']],
          [2, ['C1', '1']],
        ],
      ],
      [
        'keeps a byte order mark that is not at the start',
        'a\n\uFEFFb\n',
        [
          [1, ['a']],
          [2, ['\uFEFFb']],
        ],
      ],
      ['reads nothing from an empty input', '', []],
      ['reads nothing from a byte order mark alone', '\uFEFF', []],
      [
        'skips empty lines but counts them',
        '\na,b\n\n1,2\r\n\r\n3,4\n\n',
        [
          [2, ['a', 'b']],
          [4, ['1', '2']],
          [6, ['3', '4']],
        ],
      ],
      ['keeps commas inside quotes', 'a,"b,c",d\n', [[1, ['a', 'b,c', 'd']]]],
      ['undoubles quotes inside quotes', '"say ""hi""",""""\n', [[1, ['say "hi"', '"']]]],
      ['reads an empty quoted field as empty', '"",a,""\n', [[1, ['', 'a', '']]]],
      [
        'reads a trailing comma as a last empty field',
        'a,\n,\n',
        [
          [1, ['a', '']],
          [2, ['', '']],
        ],
      ],
      ['keeps spaces around values', ' a , b \n', [[1, [' a ', ' b ']]]],
      [
        'counts quoted line breaks so later lines stay exact',
        'h1,h2\n"x\ny",1\n"p\r\nq\nr",2\nlast,3\n',
        [
          [1, ['h1', 'h2']],
          [2, ['x\ny', '1']],
          [4, ['p\r\nq\nr', '2']],
          [7, ['last', '3']],
        ],
      ],
      [
        'keeps a quoted empty line',
        '"a\n\nb",c\nd,e\n',
        [
          [1, ['a\n\nb', 'c']],
          [4, ['d', 'e']],
        ],
      ],
      ['reads a file shorter than a byte order mark', 'a\n', [[1, ['a']]]],
      ['reads a first line that ends in CR at the end of the input', 'a,b\r', [[1, ['a', 'b']]]],
      [
        'reads a lone CR after the first line as part of a value',
        'a,b\r\n1\r2,3\r\n',
        [
          [1, ['a', 'b']],
          [2, ['1\r2', '3']],
        ],
      ],
      [
        'reads Unicode, including characters split across chunks',
        'naïve,日本語,🎉\n"é,€",ok\n',
        [
          [1, ['naïve', '日本語', '🎉']],
          [2, ['é,€', 'ok']],
        ],
      ],
    ])('%s', async (_name, input, expected) => {
      const bytes = typeof input === 'string' ? Buffer.from(input) : input;
      expect(await linesAndValues(bytes, chunkSize)).toEqual(expected);
    });

    it.each<[string, Buffer, { code: string; line: number; message: string }, number[]]>([
      [
        'rejects a byte that is not UTF-8',
        Buffer.concat([Buffer.from('a\nb,'), Buffer.from([0xff]), Buffer.from('\nc\n')]),
        { code: 'FILE_NOT_UTF8', line: 2, message: 'the line is not valid UTF-8 text' },
        [1],
      ],
      [
        'rejects Latin-1 text',
        Buffer.from('name\ncafé\n', 'latin1'),
        { code: 'FILE_NOT_UTF8', line: 2, message: 'the line is not valid UTF-8 text' },
        [1],
      ],
      [
        'rejects an encoded UTF-16 surrogate',
        Buffer.concat([Buffer.from('a\n'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('\n')]),
        { code: 'FILE_NOT_UTF8', line: 2, message: 'the line is not valid UTF-8 text' },
        [1],
      ],
      [
        'rejects a file that ends inside a multi-byte character',
        Buffer.concat([Buffer.from('a\nb,'), Buffer.from([0xe2, 0x82])]),
        {
          code: 'FILE_NOT_UTF8',
          line: 2,
          message: 'the file ends in the middle of a UTF-8 character',
        },
        [1],
      ],
      [
        'rejects UTF-16 little-endian text by its byte order mark, as UTF-16',
        Buffer.from('\uFEFFa,b\n', 'utf16le'),
        {
          code: 'FILE_NOT_UTF8',
          line: 1,
          message: `the file is UTF-16 text (it starts with a UTF-16 little-endian byte order mark), not UTF-8: ${SAVE_AS_UTF8}`,
        },
        [],
      ],
      [
        'rejects UTF-16 big-endian text by its byte order mark, as UTF-16',
        Buffer.from('\uFEFFa,b\n', 'utf16le').swap16(),
        {
          code: 'FILE_NOT_UTF8',
          line: 1,
          message: `the file is UTF-16 text (it starts with a UTF-16 big-endian byte order mark), not UTF-8: ${SAVE_AS_UTF8}`,
        },
        [],
      ],
      [
        'rejects UTF-16 little-endian text without a byte order mark, as UTF-16',
        Buffer.from('ab,c\n', 'utf16le'),
        {
          code: 'FILE_NOT_UTF8',
          line: 1,
          message: `the file is UTF-16 text (little-endian: a NUL byte beside each ASCII character, no byte order mark), not UTF-8: ${SAVE_AS_UTF8}`,
        },
        [],
      ],
      [
        'rejects UTF-16 big-endian text without a byte order mark, as UTF-16',
        Buffer.from('ab,c\n', 'utf16le').swap16(),
        {
          code: 'FILE_NOT_UTF8',
          line: 1,
          message: `the file is UTF-16 text (big-endian: a NUL byte beside each ASCII character, no byte order mark), not UTF-8: ${SAVE_AS_UTF8}`,
        },
        [],
      ],
      [
        'rejects a NUL byte as binary data',
        Buffer.from('a\nb\nc\0d\n'),
        {
          code: 'FILE_NOT_UTF8',
          line: 3,
          message: 'the line contains a NUL byte: the file is binary or UTF-16, not UTF-8 text',
        },
        [1, 2],
      ],
      [
        'rejects a quote that is never closed, naming the line where its record starts',
        Buffer.from('a,b\n"x\ny",1\nc,"d\ne,f\n'),
        {
          code: 'FILE_MALFORMED_CSV',
          line: 4,
          message: 'a quote opened in the record starting on this line is never closed',
        },
        [1, 2],
      ],
      [
        'rejects lines that end in a lone CR, as old Mac files do',
        Buffer.from('a,b\r1,2\r3,4\r'),
        {
          code: 'FILE_MALFORMED_CSV',
          line: 1,
          message:
            'the line ends in a lone carriage return (CR), as old Mac files do: lines must end in LF or CRLF',
        },
        [],
      ],
      [
        'rejects a ZIP archive by its signature',
        Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('a,b\n')]),
        {
          code: 'FILE_NOT_UTF8',
          line: 1,
          message:
            'the file is a ZIP archive (an Excel .xlsx workbook is one), not CSV text: upload the CSV itself, uncompressed',
        },
        [],
      ],
      [
        'rejects gzip data by its signature',
        Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x0a]),
        {
          code: 'FILE_NOT_UTF8',
          line: 1,
          message: 'the file is gzip-compressed, not CSV text: upload it uncompressed',
        },
        [],
      ],
      [
        'rejects an OLE2 document by its signature',
        Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1]),
        {
          code: 'FILE_NOT_UTF8',
          line: 1,
          message: 'the file is an OLE2 document (such as an Excel .xls workbook), not CSV text',
        },
        [],
      ],
    ])('%s', async (_name, bytes, expected, linesBefore) => {
      const { lines, error } = await failureOf(bytes, chunkSize);
      expect(error).toBeInstanceOf(CsvFileError);
      expect(error).toMatchObject(expected);
      expect(lines).toEqual(linesBefore);
    });

    it('rejects a record longer than maxLineBytes, counting its line break', async () => {
      const bytes = Buffer.from('abcdefg\r\n"a\nbcd"\nabcdefghi\n');
      const { lines, error } = await failureOf(bytes, chunkSize, 9);
      expect(error).toBeInstanceOf(CsvFileError);
      expect(error).toMatchObject({
        code: 'LINE_TOO_LONG',
        line: 4,
        message: 'the record starting on this line is longer than 9 bytes',
      });
      expect(lines).toEqual([1, 2]);
    });
  });

  it('reads a character split across two chunks', async () => {
    const euro = Buffer.from('€');
    async function* split(): AsyncGenerator<Uint8Array> {
      yield Buffer.concat([Buffer.from('a,'), euro.subarray(0, 1)]);
      yield Buffer.concat([euro.subarray(1), Buffer.from('\n')]);
    }
    const records: CsvRecord[] = [];
    for await (const record of readCsvRecords(split(), options)) records.push(record);
    expect(records).toEqual([{ line: 1, values: ['a', '€'] }]);
  });

  it('yields records before the source is read to its end', async () => {
    let lastChunkRead = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('a,b\n1,2\n');
      lastChunkRead = true;
      yield Buffer.from('3,4\n');
    }
    const firstRecord = await readCsvRecords(source(), options).next();
    expect(firstRecord.value).toEqual({ line: 1, values: ['a', 'b'] });
    expect(lastChunkRead).toBe(false);
  });

  it('stops reading the source when the consumer stops', async () => {
    let chunksRead = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (;;) {
        chunksRead++;
        yield Buffer.from('a,b\n');
      }
    }
    for await (const record of readCsvRecords(source(), options)) {
      if (record.line === 3) break;
    }
    expect(chunksRead).toBe(3);
  });

  it('passes on a failure of the source unchanged', async () => {
    const failure = new Error('connection reset');
    async function* source(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('a,b\n');
      throw failure;
    }
    const records = readCsvRecords(source(), options);
    await expect(records.next()).resolves.toEqual({
      done: false,
      value: { line: 1, values: ['a', 'b'] },
    });
    await expect(records.next()).rejects.toBe(failure);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses maxLineBytes %p', async (maxLineBytes) => {
    await expect(
      readCsvRecords(chunked(Buffer.from('a'), 1), { maxLineBytes }).next(),
    ).rejects.toThrow(`maxLineBytes must be a positive integer, got ${maxLineBytes}`);
  });
});

describe('readCsvRecordBatches', () => {
  async function batchesOf(...chunks: string[]): Promise<CsvRecord[][]> {
    async function* source(): AsyncGenerator<Uint8Array> {
      for (const chunk of chunks) yield Buffer.from(chunk);
    }
    const batches: CsvRecord[][] = [];
    for await (const batch of readCsvRecordBatches(source(), options)) batches.push(batch);
    return batches;
  }

  it('yields the records each chunk completes as one batch, and no empty batch', async () => {
    expect(await batchesOf('a,b\n1,2\n3,', '4\n\n', '5,"6\n7"\n', '8,9')).toEqual([
      [
        { line: 1, values: ['a', 'b'] },
        { line: 2, values: ['1', '2'] },
      ],
      [{ line: 3, values: ['3', '4'] }],
      [{ line: 5, values: ['5', '6\n7'] }],
      [{ line: 7, values: ['8', '9'] }],
    ]);
  });

  it('yields the records before an unclosed quote, then fails', async () => {
    const batches: CsvRecord[][] = [];
    async function* source(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('a,b\n1,2\n3,"4\n');
    }
    const failure = (async () => {
      for await (const batch of readCsvRecordBatches(source(), options)) batches.push(batch);
    })();
    await expect(failure).rejects.toThrow(CsvFileError);
    expect(batches).toEqual([
      [
        { line: 1, values: ['a', 'b'] },
        { line: 2, values: ['1', '2'] },
      ],
    ]);
  });
});
