import type { BatchDescription } from '@tally/domain';
import { dlqLine, formatBatchStatus } from './formatBatchStatus';

const T0 = Date.parse('2026-12-01T10:00:00.000Z');

const staged = {
  status: 'staged',
  version: 'v1',
  sequencer: '01',
  sha256: 'ab',
  expiresAt: T0 + 86_400_000,
  expired: false,
} as const;

const waiting: BatchDescription = {
  batchId: '2024-06-01',
  files: [
    {
      ...staged,
      key: 'incoming/2024-06-01/customers.csv',
      kind: 'customers',
      file: 'customers.csv',
      rowsRead: 120,
      rowCount: 118,
      chunks: 1,
      current: false,
    },
    {
      key: 'incoming/2024-06-01/orders.csv',
      kind: 'orders',
      file: 'orders.csv',
      status: 'rejected',
      version: 'v2',
      sequencer: '02',
      code: 'FILE_MISSING_COLUMNS',
      current: false,
    },
  ],
  readiness: {
    status: 'waiting',
    missing: ['items'],
    blocked: [{ file: 'orders.csv', reason: 'rejected as a whole (FILE_MISSING_COLUMNS)' }],
  },
  phase: 'incomplete',
  updatedAt: T0,
  expiresAt: T0 + 7 * 86_400_000,
};

describe('formatBatchStatus', () => {
  it('shows a batch that waits for files: what is there, what is missing, what blocks it', () => {
    expect(formatBatchStatus(waiting, { ingest: 1, aggregation: 0, output: 0 })).toBe(
      [
        'batch "2024-06-01": incomplete: not every file is staged yet',
        '',
        'file           kind       version  rows read  staged  chunks  status',
        'customers.csv  customers  v1             120     118       1  not used',
        'orders.csv     orders     v2               -       -       -  rejected (FILE_MISSING_COLUMNS)',
        '',
        'manifest    none (one file per kind)',
        'files       waiting for items',
        '            orders.csv: rejected as a whole (FILE_MISSING_COLUMNS)',
        'revision    none yet',
        'lease       none',
        'aggregated  no',
        'DLQs        ingest 1, aggregation 0, output 0',
        'updated     2026-12-01T10:00:00.000Z; forgotten after 2026-12-08T10:00:00.000Z',
        '',
      ].join('\n'),
    );
  });

  it('shows an aggregation in progress: its revision, lease and messages sent so far', () => {
    const text = formatBatchStatus(
      {
        ...waiting,
        files: [],
        manifest: {
          status: 'valid',
          version: 'm1',
          sequencer: '03',
          files: [{ file: 'items-1.csv' }, { file: 'items-2.csv' }],
        },
        readiness: { status: 'ready' },
        revision: {
          number: 2,
          files: [
            {
              key: 'k',
              kind: 'items',
              file: 'items-1.csv',
              version: 'v',
              chunks: 1,
              rowCount: 1,
              expiresAt: T0,
            },
          ],
          requestedBy: 'r',
          createdAt: T0,
        },
        lease: {
          revision: 2,
          owner: 'req-3/msg-7',
          attempt: '',
          handedBy: 'msg-7',
          leaseUntil: T0 + 60_000,
          live: true,
          sent: 40,
        },
        aggregated: { revision: 1, outcome: 'sent', customerMessages: 3, errorMessages: 1 },
        phase: 'aggregating',
        run: { partitions: 8, ordersDone: 8, customersDone: 3, finishStarted: false },
      },
      {},
    );
    expect(text.split('\n')).toEqual(
      expect.arrayContaining([
        'batch "2024-06-01": aggregating revision 2',
        'no file recorded',
        'manifest    2 file(s): items-1.csv, items-2.csv',
        'files       complete',
        'revision    2, items-1.csv (2026-12-01T10:00:00.000Z)',
        'lease       revision 2, handed over by msg-7 to continuation req-3/msg-7, held until 2026-12-01T10:01:00.000Z; 40 message(s) sent so far',
        'partitions  8: orders tasks 8/8 done, customers tasks 3/8 done, finish not started',
        'aggregated  revision 1: 3 customer and 1 error message(s) sent',
        'DLQs        unknown (no DLQ URLs: use --local or --env)',
      ]),
    );
  });

  it.each([
    [
      {
        ...waiting,
        phase: 'aggregated',
        revision: { number: 3, files: [], requestedBy: 'r', createdAt: T0 },
      },
      'aggregated (revision 3)',
    ],
    [
      {
        ...waiting,
        phase: 'expired',
        revision: { number: 4, files: [], requestedBy: 'r', createdAt: T0 },
      },
      'revision 4 expired before it was aggregated: upload its files again',
    ],
  ] as const)('names the phase in its first line: %#', (description, headline) => {
    expect(formatBatchStatus(description, {}).split('\n')[0]).toBe(
      `batch "2024-06-01": ${headline}`,
    );
  });
});

describe('dlqLine', () => {
  it('lists the DLQs whose depth is known', () => {
    expect(dlqLine({ output: 2 })).toBe('DLQs        output 2');
  });
});
