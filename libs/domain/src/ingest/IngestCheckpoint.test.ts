import { Sha256 } from '../digest/Sha256';
import { InMemoryStagingStore } from '../testing';
import {
  ingestCheckpointName,
  readIngestCheckpoint,
  recordIngestCheckpoint,
  resumePointOf,
} from './IngestCheckpoint';
import type { IngestCheckpoint } from './IngestCheckpoint';

const NOW = Date.UTC(2026, 11, 1);

const checkpointAt = (segment: number, recordedBy: string): IngestCheckpoint => ({
  segment,
  offset: segment * 100,
  line: segment * 4 + 1,
  bucketChunks: [segment, segment + 1],
  progress: {
    header: { width: 4, at: [0, 1, 2, 3] },
    rowsRead: segment * 3,
    accepted: segment * 2,
    rejected: segment,
    rowErrors: segment,
  },
  sha256: new Sha256().update(Buffer.from('abc')).state(),
  expiresAt: NOW + 1_000,
  segmentBytes: 100,
  recordedBy,
});

describe('resumePointOf', () => {
  it.each([
    ['an S3 event before any checkpoint', 'read from the start', undefined, 0, 'm1'],
    ['a continuation of the checkpoint’s segment', 'read from it', checkpointAt(3, 'm1'), 3, 'm2'],
    ['a retry of the request that recorded it', 'read from it', checkpointAt(5, 'm2'), 3, 'm2'],
    ['an S3 event once segments were read', 'duplicate', checkpointAt(2, 'm1'), 0, 'm1-again'],
    ['a continuation delivered twice', 'duplicate', checkpointAt(4, 'm3'), 3, 'm2-again'],
  ] as const)('for %s: %s', (_, expected, stored, segment, requestId) => {
    const point = resumePointOf(stored, { segment, requestId });
    expect(point).toEqual(
      expected === 'duplicate'
        ? { action: 'duplicate', segment: stored?.segment }
        : { action: 'read', checkpoint: stored },
    );
  });

  it('refuses a continuation ahead of the checkpoint: its record was lost', () => {
    expect(() => resumePointOf(undefined, { segment: 2, requestId: 'm2' })).toThrow(
      "a continuation asks for segment 2, but the upload's checkpoint is at segment 0: the checkpoint record expired or was lost",
    );
  });
});

describe('recordIngestCheckpoint', () => {
  it('records the next segment only over the one it started from, and reads it back', async () => {
    const store = new InMemoryStagingStore({ now: () => NOW });
    const name = ingestCheckpointName('incoming/b1/items.csv', 'v1');
    expect(await recordIngestCheckpoint(store, 'b1', name, 0, checkpointAt(1, 'm1'))).toBe(true);
    expect(await recordIngestCheckpoint(store, 'b1', name, 0, checkpointAt(1, 'm9'))).toBe(false);
    expect(await recordIngestCheckpoint(store, 'b1', name, 1, checkpointAt(2, 'm1'))).toBe(true);
    expect(await readIngestCheckpoint(store, 'b1', name)).toEqual(checkpointAt(2, 'm1'));
  });

  it('names each upload’s checkpoint apart, in a short name', () => {
    const names = [
      ingestCheckpointName('incoming/b1/items.csv', 'v1'),
      ingestCheckpointName('incoming/b1/items.csv', 'v2'),
      ingestCheckpointName(`incoming/b1/${'x'.repeat(90)}.csv`, 'v1'),
    ];
    expect(new Set(names).size).toBe(3);
    expect(names.map((name) => name.length)).toEqual([39, 39, 39]);
  });

  it('refuses a record that does not hold a checkpoint', async () => {
    const store = new InMemoryStagingStore({ now: () => NOW });
    await store.writeRecord('b1', 'ingest:x', { segment: 'one' }, undefined, NOW + 1_000);
    await expect(readIngestCheckpoint(store, 'b1', 'ingest:x')).rejects.toThrow(
      'record ingest:x does not hold an ingest checkpoint',
    );
  });
});
