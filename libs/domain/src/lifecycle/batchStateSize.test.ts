import { largestBatchState } from '../testing/largestBatchState';
import { commitStagedUpload, MAX_KEYS_PER_BATCH } from './commitUpload';
import { admitUpload } from './commitUpload';

const NOW = 1_800_000_000_000;
/** DynamoDB's item limit, less room for the item's key and bookkeeping attributes. */
const STATE_BUDGET_BYTES = 400 * 1024 - 8 * 1024;

describe('the size of a batch state', () => {
  it('stays within one DynamoDB item with every limit reached', () => {
    const state = largestBatchState('b', NOW);
    // JSON spends quotes, colons and commas where DynamoDB spends a byte or three per value,
    // so its UTF-8 length is a fair upper estimate of the stored map's size.
    const bytes = Buffer.byteLength(JSON.stringify(state), 'utf8');
    expect(state.files).toHaveLength(MAX_KEYS_PER_BATCH);
    expect(bytes).toBeGreaterThan(250 * 1024);
    expect(bytes).toBeLessThan(STATE_BUDGET_BYTES);
  });

  it('records no key past the limit, while a key it holds may still be uploaded again', () => {
    const state = largestBatchState('b', NOW);
    const [first] = state.files;
    const upload = {
      key: `incoming/${state.batchId}/items-new.csv`,
      kind: 'items' as const,
      file: 'items-new.csv',
      version: 'v1',
      sequencer: 'F'.repeat(25),
      chunks: 1,
      rowsRead: 1,
      rowCount: 1,
      sha256: 'ab'.repeat(32),
      expiresAt: NOW + 86_400_000,
    };
    expect(admitUpload(state, upload)).toBe('full');
    expect(commitStagedUpload(state, state.batchId, upload, NOW)).toEqual({ outcome: 'full' });

    const again = { ...upload, key: first!.key, kind: first!.kind, file: first!.file };
    expect(admitUpload(state, again)).toBe('new');
    const committed = commitStagedUpload(state, state.batchId, again, NOW);
    expect(committed.outcome).toBe('committed');
    expect(committed.next?.files).toHaveLength(MAX_KEYS_PER_BATCH);
    expect(committed.next?.files[0]).toMatchObject({ key: first!.key, version: 'v1' });
  });
});
