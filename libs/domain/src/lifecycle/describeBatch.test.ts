import type { BatchState } from './BatchState';
import { describeBatch } from './describeBatch';

const NOW = 5_000_000;

const state: BatchState = {
  batchId: 'b1',
  files: [
    {
      status: 'staged',
      key: 'incoming/b1/customers.csv',
      kind: 'customers',
      file: 'customers.csv',
      order: 0,
      version: 'c1',
      sequencer: '0A',
      chunks: 1,
      rowsRead: 3,
      rowCount: 2,
      sha256: 'aa',
      expiresAt: NOW + 86_400_000,
    },
    {
      status: 'rejected',
      key: 'incoming/b1/orders.csv',
      kind: 'orders',
      file: 'orders.csv',
      order: 1,
      version: 'o2',
      sequencer: '0B',
      code: 'FILE_MISSING_COLUMNS',
    },
    {
      status: 'staged',
      key: 'incoming/b1/items.csv',
      kind: 'items',
      file: 'items.csv',
      order: 2,
      version: 'i1',
      sequencer: '0A',
      chunks: 2,
      rowsRead: 9,
      rowCount: 9,
      sha256: 'bb',
      expiresAt: NOW + 1_000,
    },
    {
      status: 'staged',
      key: 'incoming/b1/items-2.csv',
      kind: 'items',
      file: 'items-2.csv',
      order: 3,
      version: 'i9',
      sequencer: '0A',
      chunks: 1,
      rowsRead: 1,
      rowCount: 1,
      sha256: 'cc',
      expiresAt: NOW + 86_400_000,
    },
  ],
  revision: {
    number: 4,
    files: [],
    requestedBy: 'r',
    createdAt: NOW - 10,
  },
  lease: { revision: 4, owner: 'm1', attempt: 'a1', leaseUntil: NOW + 1, sent: 1_000 },
  aggregated: { revision: 3, outcome: 'sent', customerMessages: 2, errorMessages: 0 },
  updatedAt: NOW - 10,
  expiresAt: NOW + 90 * 86_400_000,
};

describe('describeBatch', () => {
  it('shows each key, what waits, the revision being aggregated and its lease', () => {
    const description = describeBatch(state, NOW);
    expect(description.phase).toBe('aggregating');
    expect(description.readiness).toEqual({
      status: 'waiting',
      missing: [],
      blocked: [
        { file: 'orders.csv', reason: 'its latest upload was rejected (FILE_MISSING_COLUMNS)' },
      ],
    });
    expect(
      description.files.map((file) => [file.file, file.status, file.current, file.expired ?? null]),
    ).toEqual([
      ['customers.csv', 'staged', false, false],
      ['orders.csv', 'rejected', false, null],
      ['items.csv', 'staged', false, true],
      ['items-2.csv', 'staged', false, false],
    ]);
    expect(description.files[3]?.problem).toMatch(
      /^items-2\.csv: the batch already has an items file, items\.csv/,
    );
    expect(description.lease).toEqual({
      revision: 4,
      owner: 'm1',
      attempt: 'a1',
      leaseUntil: NOW + 1,
      live: true,
      sent: 1_000,
    });
  });

  it.each([
    ['incomplete', { revision: undefined }],
    [
      'aggregated',
      {
        aggregated: {
          revision: 4,
          outcome: 'sent' as const,
          customerMessages: 1,
          errorMessages: 0,
        },
      },
    ],
    [
      'expired',
      {
        aggregated: {
          revision: 4,
          outcome: 'expired' as const,
          customerMessages: 0,
          errorMessages: 1,
        },
      },
    ],
  ])('is %s', (phase, overrides) => {
    expect(describeBatch({ ...state, ...overrides }, NOW).phase).toBe(phase);
  });
});
