import { createHash } from 'node:crypto';
import type { RowError } from '../errors/RowError';
import type { IngestContinuationMessage } from '../ports/IngestContinuations';
import type { ObjectLocation } from '../ports/ObjectSource';
import type { StagedChunk } from '../ports/StagingStore';
import { decodeStagedRows } from '../staging/stagedRowCodec';
import {
  InMemoryObjectSource,
  InMemoryStagingStore,
  RecordingIngestContinuations,
  markedRowValidators,
} from '../testing';
import { stageUploadRows } from './stageUploadRows';
import type { StageUploadInput, StagedRows } from './stageUploadRows';

const NOW = Date.UTC(2026, 11, 1);
const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_LINE_BYTES = 50;
/** The smallest segment allowed: twice the longest record. */
const MIN_SEGMENT_BYTES = 2 * MAX_LINE_BYTES;
const WHOLE_FILE = 1_000_000;

/** One record of each sort, in turn: plain, quoted, multi-line, UTF-8, rejected, CRLF. */
const recordOf = (n: number): string => {
  const ref = `C${String(n).padStart(2, '0')}`;
  switch (n % 8) {
    case 0:
      return `${ref},Ada,Lovelace,active\n`;
    case 1:
      return `${ref},"Hopper, Grace",Hopper,active\n`;
    case 2:
      return `${ref},"two\nlines",Turing,active\n\n`;
    case 3:
      return `${ref},BAD,x,active\n`;
    case 4:
      return `${ref},Émile,Zoé 日本,active\n`;
    case 5:
      return `${ref},"say ""hi""",Q,inactive\r\n`;
    case 6:
      return `${ref},too,many,fields,here\n`;
    default:
      return `${ref},"a\r\nb\nc",🎉🎉,active\n`;
  }
};

/** A customers file of 40 records (10 rejected), with a byte order mark and a CRLF header. */
const CUSTOMERS = `\ufeffcustomer_reference,first_name,last_name,status\r\n${Array.from(
  { length: 40 },
  (_, n) => recordOf(n + 1),
).join('')}`;
const BYTES = Buffer.from(CUSTOMERS, 'utf8');

const setUp = (store = new InMemoryStagingStore({ maxChunkBytes: 40, now: () => NOW })) => {
  const source = new InMemoryObjectSource(13);
  const location = source.put('incoming/b1/customers.csv', CUSTOMERS);
  const reported: RowError[] = [];
  const continuations = new RecordingIngestContinuations();
  const stage = (overrides: Partial<StageUploadInput> = {}): Promise<StagedRows> =>
    stageUploadRows({
      location,
      batchKey: { batchId: 'b1', kind: 'customers', file: 'customers.csv' },
      version: 'v1',
      request: { segment: 0, requestId: 'm1' },
      expiresAt: NOW + DAY_MS,
      segmentBytes: WHOLE_FILE,
      source,
      store,
      validators: markedRowValidators(),
      maxLineBytes: MAX_LINE_BYTES,
      maxRowErrors: 3,
      report: async (errors) => {
        reported.push(...errors);
      },
      ...overrides,
    });
  return { source, store, location, reported, continuations, stage };
};

/** What a staged upload amounts to: its counts, digest and rows (bucket by bucket, decoded). */
const contentOf = async (store: InMemoryStagingStore, staged: StagedRows) => {
  if (staged.status !== 'staged') throw new Error(`not staged: ${JSON.stringify(staged)}`);
  const buckets = [];
  for (const [bucket, chunks] of staged.bucketChunks.entries()) {
    const rows = [];
    for await (const text of store.readChunks('b1', {
      key: 'incoming/b1/customers.csv',
      version: 'v1',
      bucket,
      chunks,
    }))
      rows.push(...decodeStagedRows('customers', text));
    buckets.push(rows);
  }
  return { summary: staged.summary, sha256: staged.sha256, buckets };
};

/** Each distinct row error once, in the order first reported: what a consumer keeps by id. */
const distinct = (errors: readonly RowError[]): RowError[] => {
  const seen = new Map<string, RowError>();
  for (const error of errors) seen.set(JSON.stringify(error), error);
  return [...seen.values()];
};

/** The whole file read in one segment. */
const baseline = async () => {
  const { store, reported, stage } = setUp();
  return { content: await contentOf(store, await stage()), errors: reported };
};

/** Lambda's remaining time, falling by `costMs` at every look. */
const countdown = (startMs: number, costMs: number) => {
  let remaining = startMs;
  return () => (remaining -= costMs);
};

const locationOf = (message: IngestContinuationMessage): ObjectLocation => ({
  bucket: message.bucket,
  key: message.key,
  size: message.size,
  eTag: message.e_tag,
  sequencer: message.sequencer,
});

describe('stageUploadRows in one segment', () => {
  it('stages every accepted row in line order, with the file’s counts, capped errors and digest', async () => {
    const { content, errors } = await baseline();
    expect(content.summary).toEqual({
      rowsRead: 40,
      accepted: 30,
      rejected: 10,
      rowErrors: 10,
      header: { width: 4, at: [0, 1, 2, 3] },
    });
    expect(content.sha256).toBe(createHash('sha256').update(BYTES).digest('hex'));
    expect(content.buckets).toHaveLength(1);
    expect(content.buckets[0]?.map((row) => row.customerReference)).toEqual(
      Array.from({ length: 40 }, (_, n) => n + 1)
        .filter((n) => n % 8 !== 3 && n % 8 !== 6)
        .map((n) => `C${String(n).padStart(2, '0')}`),
    );
    expect(errors.map((error) => [error.code, error.line])).toEqual([
      ['VALUE_REQUIRED', 6],
      ['ROW_FIELD_COUNT', 9],
      ['VALUE_REQUIRED', 18],
      ['TOO_MANY_ROW_ERRORS', undefined],
    ]);
  });

  it('reads and writes no checkpoint for a file that fits in one segment', async () => {
    const { store, stage } = setUp();
    const reads = jest.spyOn(store, 'readRecord');
    const writes = jest.spyOn(store, 'writeRecord');
    expect(await stage({ segmentBytes: BYTES.length })).toMatchObject({ status: 'staged' });
    expect([reads.mock.calls, writes.mock.calls]).toEqual([[], []]);
  });
});

describe('stageUploadRows in segments', () => {
  it.each([MIN_SEGMENT_BYTES, 101, 113, 137, 256, 333, 573])(
    'stages the same rows, row errors, counts and digest in segments of %s bytes',
    async (segmentBytes) => {
      const expected = await baseline();
      const { store, source, reported, stage } = setUp();
      const staged = await stage({ segmentBytes });
      expect(await contentOf(store, staged)).toEqual(expected.content);
      expect(reported).toEqual(expected.errors);
      expect(source.opened.length).toBeGreaterThan(1);
    },
  );

  it('reads the 1,146-byte file in 11 segments of 100 bytes, each starting where the last ended', async () => {
    const { source, stage } = setUp();
    await stage({ segmentBytes: MIN_SEGMENT_BYTES });
    const starts = source.opened.map((read) => read.from);
    expect(BYTES.length).toBe(1_146);
    expect(starts).toHaveLength(11);
    for (const [index, start] of starts.entries()) {
      if (index === 0) continue;
      // Each starts after a line feed that ends a record, at least 100 bytes after the last.
      expect(BYTES[start - 1]).toBe(0x0a);
      expect(start - (starts[index - 1] ?? 0)).toBeGreaterThanOrEqual(MIN_SEGMENT_BYTES);
    }
  });

  it.each([
    ['inside a quoted multi-line field', '"two\nlines"', 4],
    ['inside a UTF-8 character', '日', 1],
    ['inside an emoji', '🎉', 2],
  ])('ends a segment whose mark falls %s at the end of that record', async (_, text, into) => {
    // The first such text after the shortest segment: the first segment's mark falls into it.
    const at = BYTES.indexOf(text, MIN_SEGMENT_BYTES) + into;
    const expected = await baseline();
    const { store, source, reported, stage } = setUp();
    const staged = await stage({ segmentBytes: at });
    const second = source.opened[1]?.from ?? 0;
    expect(second).toBeGreaterThan(at);
    expect(BYTES.subarray(at, second).toString('utf8')).toMatch(/^[^\n]*(\n[^\n]*)?\n$/);
    expect(await contentOf(store, staged)).toEqual(expected.content);
    expect(reported).toEqual(expected.errors);
  });

  it('records a checkpoint per segment but the last, conditionally', async () => {
    const { store, source, stage } = setUp();
    const writes = jest.spyOn(store, 'writeRecord');
    await stage({ segmentBytes: 256 });
    // Five segments: four checkpoints, each written at the generation the one before left.
    expect(source.opened).toHaveLength(5);
    expect(writes.mock.calls.map(([, , value, expected]) => [expected, value])).toEqual(
      [undefined, 1, 2, 3].map((expected, index) => [
        expected,
        expect.objectContaining({ segment: index + 1, recordedBy: 'm1' }),
      ]),
    );
  });
});

describe('stageUploadRows after a failure', () => {
  /** A store whose `failAt`-th putChunks call fails, as a crashed invocation would stop. */
  class CrashingStore extends InMemoryStagingStore {
    public puts = 0;
    public constructor(private readonly failAt: number) {
      super({ maxChunkBytes: 40, now: () => NOW });
    }
    public override async putChunks(chunks: readonly StagedChunk[]): Promise<void> {
      this.puts += 1;
      if (this.puts === this.failAt) throw new Error('crashed while writing');
      return super.putChunks(chunks);
    }
  }

  it('redoes the interrupted segment with the same chunks and row errors, whichever write fails', async () => {
    const expected = await baseline();
    const clean = new CrashingStore(0);
    await setUp(clean).stage({ segmentBytes: 137 });
    expect(clean.puts).toBe(8);
    for (let failAt = 1; failAt <= clean.puts; failAt += 1) {
      const store = new CrashingStore(failAt);
      const { reported, stage } = setUp(store);
      await expect(stage({ segmentBytes: 137 })).rejects.toThrow('crashed while writing');
      // The queue delivers the message again: same request, same segment.
      const staged = await stage({ segmentBytes: 137 });
      expect(await contentOf(store, staged)).toEqual(expected.content);
      expect(distinct(reported)).toEqual(expected.errors);
    }
  });

  it('goes on from its own checkpoint when retried after the continuation could not be sent', async () => {
    const expected = await baseline();
    const { store, reported, continuations, stage } = setUp();
    continuations.failNextSends = 1;
    const deadline = () => ({ remainingTimeMs: countdown(60_000, 5_000), continuations });
    await expect(stage({ segmentBytes: 100, deadline: deadline() })).rejects.toThrow(
      'injected continuation send failure',
    );
    // The retry finds segment 4 recorded by itself: it reads on from there.
    const retried = await stage({ segmentBytes: 100, deadline: deadline() });
    expect(retried).toEqual({ status: 'continued', segment: 8, rowsRead: 30 });
    const message = continuations.messages[0]!;
    const last = await stage({
      location: locationOf(message),
      request: { segment: message.segment, requestId: 'm2' },
      segmentBytes: 100,
    });
    expect(await contentOf(store, last)).toEqual(expected.content);
    expect(distinct(reported)).toEqual(expected.errors);
  });
});

describe('stageUploadRows with a deadline', () => {
  it('sends a continuation once the time left is less than the reserve plus the slowest segment', async () => {
    const { location, continuations, stage } = setUp();
    // 55 s at the start: a reserve of 11 s. Each segment takes 5 s (two looks at the clock);
    // after the fourth, 15 s are left, less than 11 s + 5 s.
    const staged = await stage({
      segmentBytes: 100,
      deadline: { remainingTimeMs: countdown(60_000, 5_000), continuations },
    });
    expect(staged).toEqual({ status: 'continued', segment: 4, rowsRead: 14 });
    expect(continuations.messages).toEqual([
      {
        type: 'ingest_continuation',
        bucket: 'input',
        key: 'incoming/b1/customers.csv',
        size: location.size,
        e_tag: location.eTag,
        sequencer: '0A',
        segment: 4,
      },
    ]);
  });

  it('names the object version in the continuation when the event named one', async () => {
    const { location, continuations, stage } = setUp();
    await stage({
      location: { ...location, versionId: 'v-3HL4kq' },
      segmentBytes: 100,
      deadline: { remainingTimeMs: countdown(60_000, 5_000), continuations },
    });
    expect(continuations.messages[0]).toMatchObject({ version_id: 'v-3HL4kq', segment: 4 });
  });

  it('stages the same file across invocations chained by continuations', async () => {
    const expected = await baseline();
    const { store, location, reported, continuations, stage } = setUp();
    const outcomes = [];
    let next: { location: ObjectLocation; segment: number } = { location, segment: 0 };
    for (let invocation = 1; invocation <= 10; invocation += 1) {
      const outcome = await stage({
        location: next.location,
        request: { segment: next.segment, requestId: `m${invocation}` },
        segmentBytes: 100,
        deadline: { remainingTimeMs: countdown(60_000, 5_000), continuations },
      });
      outcomes.push(outcome.status === 'continued' ? outcome.segment : outcome.status);
      if (outcome.status !== 'continued') {
        expect(await contentOf(store, outcome)).toEqual(expected.content);
        break;
      }
      const message = continuations.messages.at(-1)!;
      next = { location: locationOf(message), segment: message.segment };
    }
    expect(outcomes).toEqual([4, 8, 'staged']);
    expect(reported).toEqual(expected.errors);
  });

  it('acknowledges a continuation delivered again after its segment was read', async () => {
    const { continuations, reported, stage } = setUp();
    const deadline = () => ({ remainingTimeMs: countdown(60_000, 5_000), continuations });
    await stage({ segmentBytes: 100, deadline: deadline() });
    const request = { segment: 4, requestId: 'm2' };
    expect(await stage({ segmentBytes: 100, request, deadline: deadline() })).toMatchObject({
      status: 'continued',
      segment: 8,
    });
    const reportedBefore = reported.length;
    // The same continuation again, as another message (the SDK retried a send).
    expect(
      await stage({ segmentBytes: 100, request: { ...request, requestId: 'm2-again' } }),
    ).toEqual({ status: 'duplicate', segment: 8 });
    // The S3 event again, as another message.
    expect(
      await stage({ segmentBytes: 100, request: { segment: 0, requestId: 'm1-again' } }),
    ).toEqual({ status: 'duplicate', segment: 8 });
    expect(reported).toHaveLength(reportedBefore);
    expect(continuations.messages.map((message) => message.segment)).toEqual([4, 8]);
  });

  it('lets one of two requests reading a segment at once go on, and the other stop', async () => {
    const expected = await baseline();
    const { store, stage } = setUp();
    const outcomes = await Promise.all([
      stage({ segmentBytes: 100, request: { segment: 0, requestId: 'm1' } }),
      stage({ segmentBytes: 100, request: { segment: 0, requestId: 'm1-again' } }),
    ]);
    const statuses = outcomes.map((outcome) => outcome.status).sort();
    expect(statuses).toEqual(['duplicate', 'staged']);
    const staged = outcomes.find((outcome) => outcome.status === 'staged')!;
    expect(await contentOf(store, staged)).toEqual(expected.content);
  });
});

describe('stageUploadRows settings', () => {
  it('refuses a segment size below twice the longest record', async () => {
    const { stage } = setUp();
    await expect(stage({ segmentBytes: MIN_SEGMENT_BYTES - 1 })).rejects.toThrow(
      'segmentBytes (99) must be at least twice maxLineBytes (50), so that a record always fits in a segment',
    );
  });
});
