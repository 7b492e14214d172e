import type { BatchManifest, ManifestFile } from '@tally/domain';
import { batchReadyMessageOf } from './batchReadyMessageOf';

const file = (name: string, version: string, chunks: number): ManifestFile => ({
  file: name,
  version,
  chunks,
  key: `incoming/b1/${name}`,
  sequencer: '0A',
  rowCount: 10,
});

const complete: BatchManifest = {
  batchId: 'b1',
  files: {
    customers: file('customers.csv', 'c2', 1),
    orders: file('orders.csv', 'o1', 3),
    items: file('items.csv', 'i5', 0),
  },
};

describe('batchReadyMessageOf', () => {
  it('names the three current files, with only what batch_ready carries', () => {
    expect(batchReadyMessageOf('b1', complete)).toEqual({
      status: 'ready',
      message: {
        type: 'batch_ready',
        batch_id: 'b1',
        files: {
          customers: { file: 'customers.csv', version: 'c2', chunks: 1 },
          orders: { file: 'orders.csv', version: 'o1', chunks: 3 },
          items: { file: 'items.csv', version: 'i5', chunks: 0 },
        },
      },
      combination: 'c2|o1|i5',
      aggregated: false,
    });
  });

  it('tells when those files were aggregated already', () => {
    const readiness = batchReadyMessageOf('b1', { ...complete, aggregatedCombination: 'c2|o1|i5' });
    expect(readiness).toMatchObject({ status: 'ready', aggregated: true });
  });

  it('does not count an older combination as aggregated', () => {
    const readiness = batchReadyMessageOf('b1', { ...complete, aggregatedCombination: 'c1|o1|i5' });
    expect(readiness).toMatchObject({ status: 'ready', aggregated: false });
  });

  it('reports an unknown batch', () => {
    expect(batchReadyMessageOf('b1', undefined)).toEqual({ status: 'unknown' });
  });

  it('names the kinds an incomplete batch lacks', () => {
    const { customers } = complete.files;
    expect(batchReadyMessageOf('b1', { batchId: 'b1', files: { customers } })).toEqual({
      status: 'incomplete',
      missing: ['orders', 'items'],
    });
  });
});
