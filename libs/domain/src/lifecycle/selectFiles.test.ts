import type { FileKind } from '../batch/fileKind';
import type { BatchFile, BatchPlan, BatchState } from './BatchState';
import { kindOfName, problemOfFile, selectFiles } from './selectFiles';

const staged = (file: string, order: number, overrides: Partial<BatchFile> = {}): BatchFile =>
  ({
    status: 'staged',
    key: `incoming/b1/${file}`,
    kind: kindOfName(file) as FileKind,
    file,
    order,
    version: `v-${file}`,
    sequencer: '0A',
    chunks: 1,
    rowsRead: 2,
    rowCount: 2,
    sha256: 'aa',
    expiresAt: 1_000_000,
    ...overrides,
  }) as BatchFile;

const rejected = (file: string, order: number): BatchFile => ({
  status: 'rejected',
  key: `incoming/b1/${file}`,
  kind: kindOfName(file) as FileKind,
  file,
  order,
  version: `v-${file}`,
  sequencer: '0A',
  code: 'FILE_NOT_UTF8',
});

const stateOf = (files: BatchFile[], plan?: BatchPlan): BatchState => ({
  batchId: 'b1',
  files,
  ...(plan && { plan }),
  updatedAt: 0,
  expiresAt: 2_000_000,
});

const planOf = (
  files: BatchPlan & { status: 'valid' } extends { files: infer F } ? F : never,
): BatchPlan => ({
  status: 'valid',
  version: 'p1',
  sequencer: '0A',
  files,
});

const names = (state: BatchState) => {
  const selection = selectFiles(state);
  return selection.status === 'ready' ? selection.files.map((file) => file.file) : selection;
};

describe('selectFiles without a manifest', () => {
  it('takes one file per kind, in aggregation order, when all three are staged', () => {
    expect(
      names(stateOf([staged('items.csv', 0), staged('orders.csv', 1), staged('customers.csv', 2)])),
    ).toEqual(['customers.csv', 'orders.csv', 'items.csv']);
  });

  it('waits for the kinds nothing was uploaded for', () => {
    expect(selectFiles(stateOf([staged('orders.csv', 0)]))).toEqual({
      status: 'waiting',
      missing: ['customers', 'items'],
      blocked: [],
    });
  });

  it('keeps the first key of a kind and ignores a later, differently named one', () => {
    const state = stateOf([
      staged('customers.csv', 0),
      staged('orders.csv', 1),
      staged('items-b.csv', 2),
      staged('items-a.csv', 3),
    ]);
    expect(names(state)).toEqual(['customers.csv', 'orders.csv', 'items-b.csv']);
    expect(problemOfFile(state, 'incoming/b1/items-a.csv')?.code).toBe('SECOND_FILE_OF_KIND');
    expect(problemOfFile(state, 'incoming/b1/items-b.csv')).toBeUndefined();
  });

  it('is blocked by a kind whose file was rejected as a whole', () => {
    expect(
      selectFiles(
        stateOf([staged('customers.csv', 0), rejected('orders.csv', 1), staged('items.csv', 2)]),
      ),
    ).toEqual({
      status: 'waiting',
      missing: [],
      blocked: [{ file: 'orders.csv', reason: 'its latest upload was rejected (FILE_NOT_UTF8)' }],
    });
  });
});

describe('selectFiles with a manifest', () => {
  const parts = [
    staged('customers.csv', 0),
    staged('orders.csv', 1),
    staged('items-2.csv', 2),
    staged('items-1.csv', 3),
  ];

  it('takes exactly the listed files, parts of a kind in manifest order', () => {
    const plan = planOf([
      { file: 'items-1.csv' },
      { file: 'items-2.csv' },
      { file: 'orders.csv' },
      { file: 'customers.csv' },
    ]);
    expect(names(stateOf(parts, plan))).toEqual([
      'customers.csv',
      'orders.csv',
      'items-1.csv',
      'items-2.csv',
    ]);
  });

  it('waits for listed files not yet uploaded, by name', () => {
    const plan = planOf([
      { file: 'customers.csv' },
      { file: 'orders.csv' },
      { file: 'items-3.csv' },
    ]);
    expect(selectFiles(stateOf(parts, plan))).toEqual({
      status: 'waiting',
      missing: ['items-3.csv'],
      blocked: [],
    });
  });

  it('is blocked by a listed file whose rows or digest differ, and reports it', () => {
    const plan = planOf([
      { file: 'customers.csv', rows: 5 },
      { file: 'orders.csv', sha256: 'bb' },
      { file: 'items-1.csv', rows: 2, sha256: 'aa' },
    ]);
    const state = stateOf(parts, plan);
    expect(selectFiles(state)).toEqual({
      status: 'waiting',
      missing: [],
      blocked: [
        { file: 'customers.csv', reason: '_manifest.json says it has 5 rows, but 2 were read' },
        {
          file: 'orders.csv',
          reason: "_manifest.json gives its SHA-256 as bb, but the uploaded file's is aa",
        },
      ],
    });
    expect(problemOfFile(state, 'incoming/b1/items-2.csv')?.code).toBe('FILE_NOT_IN_MANIFEST');
    expect(problemOfFile(state, 'incoming/b1/orders.csv')?.code).toBe(
      'FILE_DOES_NOT_MATCH_MANIFEST',
    );
    expect(problemOfFile(state, 'incoming/b1/items-1.csv')).toBeUndefined();
  });

  it('is blocked by a rejected manifest, and then reports no file problems', () => {
    const state = stateOf(parts, {
      status: 'rejected',
      version: 'p2',
      sequencer: '0B',
      code: 'MANIFEST_INVALID',
    });
    expect(selectFiles(state)).toEqual({
      status: 'waiting',
      missing: [],
      blocked: [{ file: '_manifest.json', reason: 'it was rejected (MANIFEST_INVALID)' }],
    });
    expect(problemOfFile(state, 'incoming/b1/items-1.csv')).toBeUndefined();
  });
});

describe('kindOfName', () => {
  it.each([
    ['Customers-2024.csv', 'customers'],
    ['ORDERS.csv', 'orders'],
    ['items_part_1.csv', 'items'],
    ['notes.csv', undefined],
  ])('%s is of kind %p', (file, kind) => {
    expect(kindOfName(file)).toBe(kind);
  });
});
