import { EXPIRY_MARGIN_MS } from './batchRetention';
import type { BatchFile, BatchState } from './BatchState';
import { commitStagedUpload, requesterOf } from './commitUpload';
import type { StagedUpload } from './commitUpload';
import { pendingWorkOf, reviseBatch } from './withNextRevision';

const NOW = 10_000_000;
const DAY_MS = 86_400_000;

const upload = (
  kind: 'customers' | 'orders' | 'items',
  version = 'v1',
  expiresAt = NOW + DAY_MS,
): StagedUpload => ({
  key: `incoming/b1/${kind}.csv`,
  kind,
  file: `${kind}.csv`,
  version,
  sequencer: `0A${version}`,
  chunks: 1,
  rowsRead: 1,
  rowCount: 1,
  sha256: 'aa',
  expiresAt,
});

const commitAll = (uploads: StagedUpload[], now = NOW): BatchState | undefined =>
  uploads.reduce<BatchState | undefined>(
    (state, next) => commitStagedUpload(state, 'b1', next, now).next ?? state,
    undefined,
  );

describe('revision allocation', () => {
  it('allocates revision 1 to the commit that completes the batch, and no other', () => {
    const state = commitAll([upload('customers'), upload('orders'), upload('items')]);
    expect(state?.revision).toMatchObject({ number: 1, requestedBy: requesterOf(upload('items')) });
    expect(
      pendingWorkOf(state as BatchState, requesterOf(upload('items')), undefined, NOW),
    ).toEqual({
      requestRevision: 1,
      expiringFiles: [],
    });
    expect(
      pendingWorkOf(state as BatchState, requesterOf(upload('orders')), undefined, NOW),
    ).toEqual({
      expiringFiles: [],
    });
  });

  it('keeps the revision when a commit leaves the combination as it was', () => {
    const state = commitAll([upload('customers'), upload('orders'), upload('items')]) as BatchState;
    expect(commitStagedUpload(state, 'b1', upload('items'), NOW)).toEqual({ outcome: 'committed' });
  });

  it('owes nothing once the revision is aggregated', () => {
    const state = commitAll([upload('customers'), upload('orders'), upload('items')]) as BatchState;
    const done: BatchState = {
      ...state,
      aggregated: { revision: 1, outcome: 'sent', customerMessages: 1, errorMessages: 0 },
    };
    expect(pendingWorkOf(done, requesterOf(upload('items')), undefined, NOW)).toEqual({
      expiringFiles: [],
    });
  });

  it('allocates no revision for files that expire within the margin, and names them', () => {
    const soon = NOW + EXPIRY_MARGIN_MS;
    const state = commitAll([
      upload('customers', 'v1', soon),
      upload('orders'),
      upload('items'),
    ]) as BatchState;
    expect(state.revision).toBeUndefined();
    const work = pendingWorkOf(state, requesterOf(upload('items')), undefined, NOW);
    expect(work.expiringFiles.map((file: BatchFile) => file.file)).toEqual(['customers.csv']);
  });
});

describe('reviseBatch', () => {
  it('allocates the next revision with the same files for an operator', () => {
    const state = commitAll([upload('customers'), upload('orders'), upload('items')]);
    const { next, outcome } = reviseBatch(state, 'replay-1', NOW + 1);
    expect(outcome).toEqual({ status: 'revised', revision: 2 });
    expect(next?.revision).toMatchObject({
      number: 2,
      requestedBy: 'replay-1',
      createdAt: NOW + 1,
    });
    expect(next?.revision?.files).toEqual(state?.revision?.files);
  });

  it.each([
    ['an unknown batch', undefined],
    ['an incomplete batch', commitAll([upload('customers')])],
    [
      'a batch whose rows expire',
      commitAll([upload('customers'), upload('orders'), upload('items')]),
    ],
  ])('refuses %s', (name, state) => {
    const now = name.includes('expire') ? NOW + DAY_MS : NOW;
    expect(reviseBatch(state, 'replay-1', now)).toEqual({ outcome: { status: 'incomplete' } });
  });
});
