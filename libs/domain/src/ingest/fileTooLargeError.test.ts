import { errorMessageOf } from '../messages/outputMessages';
import {
  InMemoryObjectSource,
  InMemoryStagingStore,
  RecordingAggregationRequests,
  RecordingMessageSink,
  markedRowValidators,
  structuralManifestValidator,
} from '../testing';
import { fileTooLargeError } from './fileTooLargeError';
import { ingestFile } from './ingestFile';

describe('fileTooLargeError', () => {
  it('names the file, its size and the limit', () => {
    expect(fileTooLargeError('items.csv', 2048, 1024)).toEqual({
      code: 'FILE_TOO_LARGE',
      file: 'items.csv',
      message: 'items.csv is 2048 bytes; the limit is 1024 bytes',
      value: '2048',
    });
  });

  it('is the error message ingest sends for an object over the limit', async () => {
    const source = new InMemoryObjectSource();
    const sink = new RecordingMessageSink();
    const location = source.put('incoming/b1/items-june.csv', 'order_reference\n');
    await ingestFile(
      location,
      {
        source,
        sink,
        store: new InMemoryStagingStore(),
        aggregation: new RecordingAggregationRequests(),
        validators: markedRowValidators(),
        manifestValidator: structuralManifestValidator,
      },
      {
        inputPrefix: 'incoming/',
        maxObjectBytes: 10,
        maxLineBytes: 100,
        maxRowErrors: 10,
        stagedRowsTtlMs: 86_400_000,
      },
    );
    expect(sink.bodies()).toEqual([
      errorMessageOf('b1', fileTooLargeError('items-june.csv', location.size, 10)),
    ]);
  });
});
