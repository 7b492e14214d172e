import type { BatchStateStore } from '../ports/BatchStateStore';
import type { BatchState } from './BatchState';
import { BatchStateContentionError, updateBatchState } from './updateBatchState';

const state: BatchState = { batchId: 'b1', files: [], updatedAt: 1, expiresAt: 2 };

describe('updateBatchState', () => {
  it('runs the transition again on the state another writer left', async () => {
    let stored = { state, generation: 1 };
    let refusals = 2;
    const store: BatchStateStore = {
      readBatchState: async () => stored,
      writeBatchState: async (next, expected) => {
        if (refusals > 0) {
          refusals -= 1;
          stored = {
            state: { ...stored.state, updatedAt: stored.state.updatedAt + 1 },
            generation: stored.generation + 1,
          };
          return false;
        }
        if (expected !== stored.generation) return false;
        stored = { state: next, generation: stored.generation + 1 };
        return true;
      },
    };
    const seen: number[] = [];
    const result = await updateBatchState(store, 'b1', (current) => {
      seen.push(current?.updatedAt ?? -1);
      return { next: { ...state, updatedAt: 100 }, outcome: 'written' };
    });
    expect(seen).toEqual([1, 2, 3]);
    expect(result).toEqual({ outcome: 'written', state: { ...state, updatedAt: 100 } });
    expect(stored.generation).toBe(4);
  });

  it('writes nothing when the transition changes nothing', async () => {
    const writes: BatchState[] = [];
    const store: BatchStateStore = {
      readBatchState: async () => ({ state, generation: 7 }),
      writeBatchState: async (next) => (writes.push(next), true),
    };
    expect(await updateBatchState(store, 'b1', () => ({ outcome: 'same' }))).toEqual({
      outcome: 'same',
      state,
    });
    expect(writes).toEqual([]);
  });

  it('gives up with a contention error after 50 lost races', async () => {
    let reads = 0;
    const store: BatchStateStore = {
      readBatchState: async () => ((reads += 1), undefined),
      writeBatchState: async () => false,
    };
    await expect(
      updateBatchState(store, 'b 1', () => ({ next: state, outcome: 'never' })),
    ).rejects.toThrow(
      new BatchStateContentionError(
        'the state of batch "b 1" changed under 50 attempts to update it',
      ),
    );
    expect(reads).toBe(50);
  });
});
