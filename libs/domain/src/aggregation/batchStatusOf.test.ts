import type { BatchManifest, ManifestFile } from '../ports/StagingStore';
import { batchStatusOf } from './batchStatusOf';

const file = (version: string): ManifestFile => ({
  file: 'f.csv',
  version,
  chunks: 1,
  key: `incoming/b/${version}.csv`,
  sequencer: '01',
  rowCount: 1,
});
const complete: BatchManifest = {
  batchId: 'b',
  files: { customers: file('c1'), orders: file('o1'), items: file('i1') },
};

describe('batchStatusOf', () => {
  it.each<[string, string, BatchManifest | undefined]>([
    ['an unknown batch', 'incomplete', undefined],
    [
      'a batch missing its items',
      'incomplete',
      { batchId: 'b', files: { customers: file('c1'), orders: file('o1') } },
    ],
    ['a complete batch not yet aggregated', 'incomplete', complete],
    [
      'a batch whose current files were aggregated',
      'aggregated',
      { ...complete, aggregatedCombination: 'c1|o1|i1' },
    ],
    [
      'a batch re-opened by a newer items upload',
      'incomplete',
      { ...complete, aggregatedCombination: 'c1|o1|i0' },
    ],
  ])('finds %s %s', (_name, status, manifest) => {
    expect(batchStatusOf(manifest)).toBe(status);
  });
});
