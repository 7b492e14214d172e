import {
  finishAggregation,
  handOverAggregation,
  recordProgress,
  startAggregation,
} from './aggregationLease';
import { CLAIM_MARGIN_MS } from './batchRetention';
import type { BatchState } from './BatchState';

const NOW = 1_000_000;

const ready = (overrides: Partial<BatchState> = {}): BatchState => ({
  batchId: 'b1',
  files: [],
  revision: {
    number: 2,
    files: [
      {
        key: 'incoming/b1/items.csv',
        kind: 'items',
        file: 'items.csv',
        version: 'v2',
        chunks: 1,
        rowCount: 1,
        expiresAt: NOW + 10_000,
      },
    ],
    requestedBy: 'r',
    createdAt: NOW - 5,
  },
  updatedAt: NOW - 5,
  expiresAt: NOW + 100_000,
  ...overrides,
});

const claim = (revision: number, owner = 'm1', attempt = 'a1') => ({
  revision,
  owner,
  attempt,
  leaseMs: 1_000,
});
const holder = (revision: number, owner = 'm1', sent = 0, attempt = 'a1') => ({
  revision,
  owner,
  attempt,
  sent,
  leaseMs: 1_000,
});

describe('startAggregation', () => {
  it.each([
    ['no batch', undefined, claim(2), { status: 'unknown' }],
    ['no revision yet', ready({ revision: undefined }), claim(1), { status: 'unknown' }],
    ['a revision not allocated', ready(), claim(3), { status: 'unknown' }],
    ['an older revision', ready(), claim(1), { status: 'superseded', latest: 2 }],
    [
      'a finished revision',
      ready({
        aggregated: { revision: 2, outcome: 'sent', customerMessages: 1, errorMessages: 0 },
      }),
      claim(2),
      { status: 'done' },
    ],
    [
      'a revision leased to another live request',
      ready({ lease: { revision: 2, owner: 'm2', attempt: 'a0', leaseUntil: NOW + 1, sent: 5 } }),
      claim(2),
      { status: 'busy', owner: 'm2', leaseUntil: NOW + 1 },
    ],
  ])('gives nothing to do for %s', (_name, state, request, outcome) => {
    expect(startAggregation(state, request, NOW)).toEqual({ outcome });
  });

  it('takes a lease that ran out, keeping the progress made under it', () => {
    const state = ready({
      lease: { revision: 2, owner: 'm2', attempt: 'a0', leaseUntil: NOW, sent: 5 },
    });
    const { next, outcome } = startAggregation(state, claim(2), NOW);
    expect(outcome).toMatchObject({ status: 'claimed', resumeFrom: 5, expiredFiles: [] });
    expect(next?.lease).toEqual({
      revision: 2,
      owner: 'm1',
      attempt: 'a1',
      leaseUntil: NOW + 1_000,
      sent: 5,
    });
  });

  it('starts a newer revision from zero, whoever held the older one', () => {
    const state = ready({
      lease: { revision: 1, owner: 'm2', attempt: 'a0', leaseUntil: NOW + 500, sent: 900 },
    });
    const { next, outcome } = startAggregation(state, claim(2), NOW);
    expect(outcome).toMatchObject({ status: 'claimed', resumeFrom: 0 });
    expect(next?.lease).toMatchObject({ revision: 2, owner: 'm1', sent: 0 });
  });

  it('reports rows expiring within the claim margin on a fresh start, not on a resumed one', () => {
    const expiresAt = NOW + CLAIM_MARGIN_MS;
    const [file] = ready().revision?.files ?? [];
    const revision = {
      number: 2,
      files: [{ ...file!, expiresAt }],
      requestedBy: 'r',
      createdAt: 0,
    };
    const fresh = startAggregation(ready({ revision }), claim(2), NOW);
    expect(fresh.outcome).toMatchObject({ status: 'claimed', expiredFiles: [{ expiresAt }] });
    const lease = { revision: 2, owner: 'm1', attempt: 'a0', leaseUntil: NOW, sent: 3 };
    const resumed = startAggregation(ready({ revision, lease }), claim(2), NOW);
    expect(resumed.outcome).toMatchObject({ status: 'claimed', resumeFrom: 3, expiredFiles: [] });
    const later = startAggregation(ready({ revision }), claim(2), NOW - 1);
    expect(later.outcome).toMatchObject({ status: 'claimed', expiredFiles: [] });
  });

  it('names the files whose rows expired', () => {
    const { outcome } = startAggregation(ready(), claim(2), NOW + 10_000);
    expect(outcome.status === 'claimed' && outcome.expiredFiles.map((file) => file.file)).toEqual([
      'items.csv',
    ]);
  });
});

describe('recordProgress and finishAggregation', () => {
  const leased = ready({
    lease: { revision: 2, owner: 'm1', attempt: 'a0', leaseUntil: NOW + 10, sent: 100 },
  });

  it.each([
    ['no batch', undefined, holder(2), 'unknown'],
    ['a newer revision', leased, holder(1, 'm1', 0, 'a0'), 'superseded'],
    ['another holder', leased, holder(2, 'm2', 0, 'a0'), 'taken-over'],
    ['another attempt of the same request', leased, holder(2, 'm1', 0, 'a9'), 'taken-over'],
    [
      'a finished revision',
      {
        ...leased,
        aggregated: {
          revision: 2,
          outcome: 'sent' as const,
          customerMessages: 0,
          errorMessages: 0,
        },
      },
      holder(2, 'm1', 0, 'a0'),
      'done',
    ],
  ])('stop the holder for %s', (_name, state, progress, outcome) => {
    expect(recordProgress(state, progress, NOW)).toEqual({ outcome });
    expect(
      finishAggregation(
        state,
        progress,
        { outcome: 'sent', customerMessages: 0, errorMessages: 0 },
        NOW,
      ),
    ).toEqual({ outcome });
  });

  it('records progress that only grows, and renews the lease', () => {
    expect(recordProgress(leased, holder(2, 'm1', 50, 'a0'), NOW).next?.lease).toEqual({
      revision: 2,
      owner: 'm1',
      attempt: 'a0',
      leaseUntil: NOW + 1_000,
      sent: 100,
    });
  });

  it('marks the revision aggregated and ends the lease', () => {
    const { next, outcome } = finishAggregation(
      leased,
      holder(2, 'm1', 0, 'a0'),
      { outcome: 'sent', customerMessages: 3, errorMessages: 1 },
      NOW,
    );
    expect(outcome).toBe('recorded');
    expect(next?.lease).toBeUndefined();
    expect(next?.aggregated).toEqual({
      revision: 2,
      outcome: 'sent',
      customerMessages: 3,
      errorMessages: 1,
    });
  });
});

describe('two invocations of one request, and handing over', () => {
  const leased = ready({
    lease: { revision: 2, owner: 'm1', attempt: 'a1', leaseUntil: NOW + 500, sent: 100 },
  });

  it('gives a live lease to the newest attempt of its request, which stops the older one', () => {
    const retried = startAggregation(leased, claim(2, 'm1', 'a2'), NOW);
    expect(retried.outcome).toMatchObject({ status: 'claimed', resumeFrom: 100 });
    expect(recordProgress(retried.next, holder(2, 'm1', 200, 'a1'), NOW)).toEqual({
      outcome: 'taken-over',
    });
    expect(recordProgress(retried.next, holder(2, 'm1', 200, 'a2'), NOW).outcome).toBe('recorded');
  });

  it('hands the lease to the continuation token, which nobody else may claim meanwhile', () => {
    const handover = { to: 'a1', sent: 300, leaseMs: 60_000 };
    const { next, outcome } = handOverAggregation(leased, holder(2, 'm1', 0, 'a1'), handover, NOW);
    expect(outcome).toBe('recorded');
    expect(next?.lease).toEqual({
      revision: 2,
      owner: 'a1',
      attempt: '',
      handedBy: 'm1',
      leaseUntil: NOW + 60_000,
      sent: 300,
    });
    expect(startAggregation(next, claim(2, 'm7', 'a7'), NOW).outcome).toEqual({
      status: 'busy',
      owner: 'a1',
      leaseUntil: NOW + 60_000,
    });
    // The old attempt may not go on sending after handing over.
    expect(recordProgress(next, holder(2, 'm1', 400, 'a1'), NOW).outcome).toBe('taken-over');
    const continued = startAggregation(next, claim(2, 'a1', 'a3'), NOW);
    expect(continued.outcome).toMatchObject({ status: 'claimed', resumeFrom: 300 });
    expect(continued.next?.lease).toEqual({
      revision: 2,
      owner: 'a1',
      attempt: 'a3',
      leaseUntil: NOW + 1_000,
      sent: 300,
    });
  });

  it('lets the handing request take the lease back until its continuation claims it', () => {
    const handover = { to: 'a1', sent: 300, leaseMs: 60_000 };
    const handed = handOverAggregation(leased, holder(2, 'm1', 0, 'a1'), handover, NOW).next;
    const retried = startAggregation(handed, claim(2, 'm1', 'a4'), NOW);
    expect(retried.outcome).toMatchObject({ status: 'claimed', resumeFrom: 300 });
    const continued = startAggregation(handed, claim(2, 'a1', 'a3'), NOW).next;
    expect(startAggregation(continued, claim(2, 'm1', 'a4'), NOW).outcome).toMatchObject({
      status: 'busy',
      owner: 'a1',
    });
  });

  it('refuses a hand-over from a holder that lost the lease', () => {
    const handover = { to: 'a9', sent: 300, leaseMs: 60_000 };
    expect(handOverAggregation(leased, holder(2, 'm1', 0, 'a9'), handover, NOW)).toEqual({
      outcome: 'taken-over',
    });
  });
});
