import { randomUUID } from 'node:crypto';
import { largestBatchState } from './largestBatchState';
import type { FileKind } from '../batch/fileKind';
import { finishAggregation, recordProgress, startAggregation } from '../lifecycle/aggregationLease';
import type { BatchState, StagedBatchFile } from '../lifecycle/BatchState';
import { commitStagedUpload, requesterOf } from '../lifecycle/commitUpload';
import type { StagedUpload } from '../lifecycle/commitUpload';
import { updateBatchState } from '../lifecycle/updateBatchState';
import { updateRecord } from '../lifecycle/updateRecord';
import { StagedRowsMissingError } from '../ports/StagingStore';
import type { StagedChunk, StagingStore } from '../ports/StagingStore';

/** A store for one contract test, and how to clean up after it. */
export interface StagingStoreUnderTest {
  readonly store: StagingStore;
  readonly close?: () => Promise<void> | void;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const START = Date.UTC(2026, 11, 1, 12);

/**
 * The behaviour every {@link StagingStore} must have, written once and run against each
 * implementation: the in-memory fake (unit tests) and the DynamoDB adapter (on dynalite). It
 * covers the storage primitives (conditional writes by generation, expiry, chunk order) and the
 * batch lifecycle on top of them: concurrent claimants, lease, takeover, supersede, progress.
 * A fake that passes it behaves like the real store wherever the use cases can tell.
 *
 * `makeStore` gets the clock the store must use for expiry; the suite moves it.
 *
 * @example
 * describeStagingStoreContract('InMemoryStagingStore', (clock) => ({ store: new InMemoryStagingStore({ now: clock.now }) }));
 */
export const describeStagingStoreContract = (
  name: string,
  makeStore: (clock: {
    readonly now: () => number;
  }) => Promise<StagingStoreUnderTest> | StagingStoreUnderTest,
): void => {
  describe(`${name} honours the StagingStore contract`, () => {
    let nowMs = START;
    const clock = { now: () => nowMs };
    let underTest: StagingStoreUnderTest;
    let store: StagingStore;
    let batchId: string;

    beforeEach(async () => {
      nowMs = START;
      underTest = await makeStore(clock);
      store = underTest.store;
      // Unique per test: an adapter's tests may share one table.
      batchId = `contract ${randomUUID()} é/&`;
    });
    afterEach(async () => {
      await underTest.close?.();
    });

    const upload = (kind: FileKind, version = 'v1', overrides: Partial<StagedUpload> = {}) => ({
      key: `incoming/${batchId}/${kind}.csv`,
      kind,
      file: `${kind}.csv`,
      version,
      sequencer: `0A${version}`,
      chunks: 1,
      rowsRead: 3,
      rowCount: 2,
      sha256: 'ab'.repeat(32),
      expiresAt: nowMs + 7 * DAY_MS,
      ...overrides,
    });
    const commit = (kind: FileKind, version = 'v1') =>
      updateBatchState(store, batchId, (state) =>
        commitStagedUpload(state, batchId, upload(kind, version), clock.now()),
      );
    const completeBatch = async () => {
      for (const kind of ['customers', 'orders', 'items'] as const) await commit(kind);
    };
    const claim = (revision: number, owner: string, leaseMs = 60_000) =>
      updateBatchState(store, batchId, (state) =>
        startAggregation(state, { revision, owner, attempt: owner, leaseMs }, clock.now()),
      );
    const progress = (revision: number, owner: string, sent: number) =>
      updateBatchState(store, batchId, (state) =>
        recordProgress(
          state,
          { revision, owner, attempt: owner, sent, leaseMs: 60_000 },
          clock.now(),
        ),
      );

    describe('batch state', () => {
      it('reads nothing for a batch never written', async () => {
        expect(await store.readBatchState(batchId)).toBeUndefined();
      });

      it('creates a state only when none is live, and reads back exactly what it wrote', async () => {
        const state = richState(batchId, nowMs);
        expect(await store.writeBatchState(state, undefined)).toBe(true);
        const stored = await store.readBatchState(batchId);
        expect(stored?.state).toEqual(state);
        expect(await store.writeBatchState({ ...state, updatedAt: nowMs + 1 }, undefined)).toBe(
          false,
        );
        expect((await store.readBatchState(batchId))?.state).toEqual(state);
      });

      it('writes at the generation it read, and refuses a write at a stale one', async () => {
        const state = richState(batchId, nowMs);
        await store.writeBatchState(state, undefined);
        const read = await store.readBatchState(batchId);
        const generation = read?.generation ?? -1;
        const first = { ...state, updatedAt: nowMs + 1 };
        expect(await store.writeBatchState(first, generation)).toBe(true);
        expect(await store.writeBatchState({ ...state, updatedAt: nowMs + 2 }, generation)).toBe(
          false,
        );
        const after = await store.readBatchState(batchId);
        expect(after?.state).toEqual(first);
        expect(after?.generation).toBeGreaterThan(generation);
      });

      it('holds the largest state the limits allow (largestBatchState)', async () => {
        const state = largestBatchState(batchId, nowMs);
        expect(await store.writeBatchState(state, undefined)).toBe(true);
        expect((await store.readBatchState(state.batchId))?.state).toEqual(state);
      });

      it('reads a state past its expiry as absent and never updates it back to life', async () => {
        const state = { ...richState(batchId, nowMs), expiresAt: nowMs + 1_000 };
        await store.writeBatchState(state, undefined);
        const generation = (await store.readBatchState(batchId))?.generation;
        nowMs += 2_000;
        expect(await store.readBatchState(batchId)).toBeUndefined();
        expect(
          await store.writeBatchState({ ...state, expiresAt: nowMs + DAY_MS }, generation),
        ).toBe(false);
        expect(await store.readBatchState(batchId)).toBeUndefined();
        const fresh = { ...state, files: [], expiresAt: nowMs + DAY_MS };
        expect(await store.writeBatchState(fresh, undefined)).toBe(true);
        expect((await store.readBatchState(batchId))?.state).toEqual(fresh);
      });
    });

    describe('batch lifecycle', () => {
      it('concurrent claimants: three files committed at once allocate exactly one revision', async () => {
        await Promise.all(['customers', 'orders', 'items'].map((kind) => commit(kind as FileKind)));
        const state = (await store.readBatchState(batchId))?.state;
        expect(state?.files.map((file) => file.kind).sort()).toEqual([
          'customers',
          'items',
          'orders',
        ]);
        expect(state?.revision?.number).toBe(1);
        const requesters = ['customers', 'orders', 'items'].map((kind) =>
          requesterOf(upload(kind as FileKind)),
        );
        expect(requesters).toContain(state?.revision?.requestedBy);
      });

      it('concurrent claimants: of five requests for one revision, exactly one gets the lease', async () => {
        await completeBatch();
        const claims = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((owner) => claim(1, owner)));
        const statuses = claims.map((result) => result.outcome.status).sort();
        expect(statuses).toEqual(['busy', 'busy', 'busy', 'busy', 'claimed']);
      });

      it('claim: the holder resumes from its progress; another request waits until the lease runs out', async () => {
        await completeBatch();
        expect((await claim(1, 'first', 10_000)).outcome).toMatchObject({
          status: 'claimed',
          resumeFrom: 0,
        });
        expect((await progress(1, 'first', 2_000)).outcome).toBe('recorded');
        expect((await claim(1, 'second')).outcome.status).toBe('busy');
        expect((await claim(1, 'first')).outcome).toMatchObject({
          status: 'claimed',
          resumeFrom: 2_000,
        });
        nowMs += 120_000;
        expect((await claim(1, 'second')).outcome).toMatchObject({
          status: 'claimed',
          resumeFrom: 2_000,
        });
        expect((await progress(1, 'first', 3_000)).outcome).toBe('taken-over');
      });

      it('progress only grows', async () => {
        await completeBatch();
        await claim(1, 'holder');
        await progress(1, 'holder', 3_000);
        await progress(1, 'holder', 1_000);
        expect((await store.readBatchState(batchId))?.state.lease?.sent).toBe(3_000);
      });

      it('takeover: a newer revision takes the batch over and the older holder can neither report nor finish', async () => {
        await completeBatch();
        await claim(1, 'old');
        await commit('items', 'v2');
        expect((await store.readBatchState(batchId))?.state.revision?.number).toBe(2);
        expect((await claim(2, 'new')).outcome.status).toBe('claimed');
        expect((await progress(1, 'old', 1_000)).outcome).toBe('superseded');
        const finished = await updateBatchState(store, batchId, (state) =>
          finishAggregation(
            state,
            { revision: 1, owner: 'old', attempt: 'old', sent: 1_000, leaseMs: 0 },
            { outcome: 'sent', customerMessages: 1, errorMessages: 0 },
            clock.now(),
          ),
        );
        expect(finished.outcome).toBe('superseded');
        const state = (await store.readBatchState(batchId))?.state;
        expect(state?.aggregated).toBeUndefined();
        expect(state?.lease).toMatchObject({ revision: 2, owner: 'new' });
      });

      it('supersede: a request for an older revision gets no lease, and "aggregated" only moves forward', async () => {
        await completeBatch();
        await commit('items', 'v2');
        expect((await claim(1, 'late')).outcome).toEqual({ status: 'superseded', latest: 2 });
        await claim(2, 'holder');
        await updateBatchState(store, batchId, (state) =>
          finishAggregation(
            state,
            { revision: 2, owner: 'holder', attempt: 'holder', sent: 0, leaseMs: 0 },
            { outcome: 'sent', customerMessages: 2, errorMessages: 1 },
            clock.now(),
          ),
        );
        expect((await claim(2, 'again')).outcome).toEqual({ status: 'done' });
        expect((await store.readBatchState(batchId))?.state.aggregated).toEqual({
          revision: 2,
          outcome: 'sent',
          customerMessages: 2,
          errorMessages: 1,
        });
      });

      it('expiry: a claim names the revision files whose staged rows expired', async () => {
        await completeBatch();
        nowMs += 8 * DAY_MS;
        const claimed = await claim(1, 'late');
        expect(claimed.outcome).toMatchObject({ status: 'claimed' });
        expect(
          claimed.outcome.status === 'claimed'
            ? claimed.outcome.expiredFiles.map((file) => file.file)
            : [],
        ).toEqual(['customers.csv', 'orders.csv', 'items.csv']);
      });
    });

    describe('staged chunks', () => {
      const chunk = (index: number, version = 'v1', expiresAt = nowMs + DAY_MS): StagedChunk => ({
        batchId,
        key: `incoming/${batchId}/items.csv`,
        version,
        index,
        rowCount: 1,
        rows: `${index}\tO${index}\t1.5 ${version} ✓`,
        expiresAt,
      });

      it('reads back every chunk of an upload in order, however many and in whatever groups they were written', async () => {
        const chunks = Array.from({ length: 60 }, (_, index) => chunk(index));
        await store.putChunks(chunks.slice(30));
        await store.putChunks(chunks.slice(0, 30));
        await store.putChunks([chunk(7)]);
        const read: string[] = [];
        for await (const rows of store.readChunks(batchId, {
          key: `incoming/${batchId}/items.csv`,
          version: 'v1',
          chunks: 60,
        }))
          read.push(rows);
        expect(read).toEqual(chunks.map((written) => written.rows));
      });

      it('keeps uploads of one key apart by version', async () => {
        await store.putChunks([chunk(0, 'v1'), chunk(0, 'v2')]);
        const read: string[] = [];
        for await (const rows of store.readChunks(batchId, {
          key: `incoming/${batchId}/items.csv`,
          version: 'v2',
          chunks: 1,
        }))
          read.push(rows);
        expect(read).toEqual([chunk(0, 'v2').rows]);
      });

      it('reads chunks past their expiry as missing', async () => {
        await store.putChunks([chunk(0, 'v1', nowMs + 1_000), chunk(1, 'v1', nowMs + 1_000)]);
        nowMs += 2_000;
        const reading = async () => {
          for await (const rows of store.readChunks(batchId, {
            key: `incoming/${batchId}/items.csv`,
            version: 'v1',
            chunks: 2,
          }))
            void rows;
        };
        await expect(reading()).rejects.toBeInstanceOf(StagedRowsMissingError);
      });

      it('reports a missing chunk with the key of its upload', async () => {
        await store.putChunks([chunk(0)]);
        const reading = async () => {
          for await (const rows of store.readChunks(batchId, {
            key: `incoming/${batchId}/items.csv`,
            version: 'v1',
            chunks: 2,
          }))
            void rows;
        };
        await expect(reading()).rejects.toMatchObject({ key: `incoming/${batchId}/items.csv` });
      });

      it('keeps the buckets of an upload apart, each in its own chunk order', async () => {
        const inBucket = (bucket: number, index: number): StagedChunk => ({
          ...chunk(index),
          bucket,
          rows: `bucket ${bucket} chunk ${index}`,
        });
        await store.putChunks([inBucket(3, 1), inBucket(0, 0), inBucket(3, 0), inBucket(255, 0)]);
        const read = async (bucket: number, chunks: number) => {
          const rows: string[] = [];
          const ref = { key: `incoming/${batchId}/items.csv`, version: 'v1', bucket, chunks };
          for await (const text of store.readChunks(batchId, ref)) rows.push(text);
          return rows;
        };
        expect(await read(3, 2)).toEqual(['bucket 3 chunk 0', 'bucket 3 chunk 1']);
        expect(await read(0, 1)).toEqual(['bucket 0 chunk 0']);
        expect(await read(255, 1)).toEqual(['bucket 255 chunk 0']);
        await expect(read(1, 1)).rejects.toBeInstanceOf(StagedRowsMissingError);
      });
    });

    describe('records', () => {
      const value = { segment: 3, offsets: [0, 1_048_576], header: 'é,日本', done: false };

      it('creates a record only when none is live, and reads back exactly what it wrote', async () => {
        expect(await store.readRecord(batchId, 'upload:a')).toBeUndefined();
        expect(await store.writeRecord(batchId, 'upload:a', value, undefined, nowMs + DAY_MS)).toBe(
          true,
        );
        expect(await store.writeRecord(batchId, 'upload:a', {}, undefined, nowMs + DAY_MS)).toBe(
          false,
        );
        expect(await store.readRecord(batchId, 'upload:a')).toEqual({
          value,
          generation: expect.any(Number),
        });
        expect(await store.readRecord(batchId, 'upload:b')).toBeUndefined();
      });

      it('writes at the generation it read, and refuses a write at a stale one', async () => {
        await store.writeRecord(batchId, 'run:1', value, undefined, nowMs + DAY_MS);
        const { generation } = (await store.readRecord(batchId, 'run:1'))!;
        const next = { ...value, segment: 4 };
        expect(await store.writeRecord(batchId, 'run:1', next, generation, nowMs + DAY_MS)).toBe(
          true,
        );
        expect(await store.writeRecord(batchId, 'run:1', value, generation, nowMs + DAY_MS)).toBe(
          false,
        );
        const read = await store.readRecord(batchId, 'run:1');
        expect(read?.value).toEqual(next);
        expect(read?.generation).toBeGreaterThan(generation);
      });

      it('reads a record past its expiry as absent, and lets it be created again', async () => {
        await store.writeRecord(batchId, 'task:1', value, undefined, nowMs + 1_000);
        const { generation } = (await store.readRecord(batchId, 'task:1'))!;
        nowMs += 2_000;
        expect(await store.readRecord(batchId, 'task:1')).toBeUndefined();
        expect(await store.writeRecord(batchId, 'task:1', value, generation, nowMs + DAY_MS)).toBe(
          false,
        );
        expect(
          await store.writeRecord(batchId, 'task:1', { fresh: true }, undefined, nowMs + 1),
        ).toBe(true);
        expect((await store.readRecord(batchId, 'task:1'))?.value).toEqual({ fresh: true });
      });

      it('lets concurrent updates of one record all land (updateRecord)', async () => {
        const expiresAt = nowMs + DAY_MS;
        await Promise.all(
          Array.from({ length: 8 }, (_, task) =>
            updateRecord<{ done: number[] }, void>(store, batchId, 'run:2', expiresAt, (run) => ({
              next: { done: [...(run?.done ?? []), task] },
              outcome: undefined,
            })),
          ),
        );
        const done = (await store.readRecord(batchId, 'run:2'))?.value as { done: number[] };
        expect([...done.done].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      });
    });
  });
};

const stagedRecord = (
  batchId: string,
  kind: FileKind,
  file: string,
  order: number,
  now: number,
): StagedBatchFile => ({
  status: 'staged',
  key: `incoming/${batchId}/${file}`,
  kind,
  file,
  order,
  version: `3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY.${order}`,
  sequencer: '0055AED6DCD90281E5',
  chunks: 12,
  rowsRead: 1_000_001,
  rowCount: 999_999,
  sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  expiresAt: now + 7 * DAY_MS,
});

/** A state with every kind of field set, Unicode and all, to prove the store round-trips it. */
const richState = (batchId: string, now: number): BatchState => ({
  batchId,
  files: [
    stagedRecord(batchId, 'customers', 'Customers é 日本.csv', 0, now),
    {
      status: 'rejected',
      key: `incoming/${batchId}/orders.csv`,
      kind: 'orders',
      file: 'orders.csv',
      order: 1,
      version: 'v-rejected',
      sequencer: '0A',
      code: 'FILE_MISSING_COLUMNS',
    },
    stagedRecord(batchId, 'items', 'items-1.csv', 2, now),
  ],
  plan: {
    status: 'valid',
    version: 'plan-v1',
    sequencer: '0B',
    files: [
      { file: 'Customers é 日本.csv' },
      { file: 'orders.csv', rows: 0 },
      { file: 'items-1.csv', rows: 1_000_001, sha256: 'e3'.repeat(32) },
    ],
  },
  revision: {
    number: 3,
    files: [
      {
        key: `incoming/${batchId}/items-1.csv`,
        kind: 'items',
        file: 'items-1.csv',
        version: 'v9',
        chunks: 0,
        rowCount: 0,
        expiresAt: now + DAY_MS,
      },
    ],
    requestedBy: '["incoming/b/items-1.csv","v9"]',
    createdAt: now - 5,
  },
  lease: {
    revision: 3,
    owner: 'request-2',
    attempt: '',
    handedBy: 'message-1',
    leaseUntil: now + 300_000,
    sent: 4_000,
  },
  aggregated: { revision: 2, outcome: 'expired', customerMessages: 0, errorMessages: 1 },
  updatedAt: now,
  expiresAt: now + 90 * DAY_MS,
});
