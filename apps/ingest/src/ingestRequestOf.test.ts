import type { IngestContinuationMessage } from '@tally/domain';
import { ingestRequestOf } from './ingestRequestOf';

const CONTINUATION: IngestContinuationMessage = {
  type: 'ingest_continuation',
  bucket: 'tally-dev-input',
  key: 'incoming/lot 7/items.csv',
  size: 734_003_200,
  e_tag: '0123abcd',
  sequencer: '0055AED6DCD90281E5',
  segment: 5,
};

describe('ingestRequestOf', () => {
  it('reads a continuation: the upload as its event named it, and the segment to read', () => {
    expect(ingestRequestOf(JSON.stringify(CONTINUATION))).toEqual({
      type: 'continuation',
      location: {
        bucket: 'tally-dev-input',
        key: 'incoming/lot 7/items.csv',
        size: 734_003_200,
        eTag: '0123abcd',
        sequencer: '0055AED6DCD90281E5',
      },
      segment: 5,
    });
  });

  it('keeps the version a continuation names', () => {
    const request = ingestRequestOf(JSON.stringify({ ...CONTINUATION, version_id: 'v-3HL4' }));
    expect(request.type === 'continuation' && request.location.versionId).toBe('v-3HL4');
  });

  it('reads an S3 notification as before', () => {
    const body = JSON.stringify({
      Records: [
        {
          eventName: 'ObjectCreated:Put',
          s3: {
            bucket: { name: 'b' },
            object: { key: 'incoming/x+y/items.csv', size: 3, eTag: 'e', sequencer: '01' },
          },
        },
      ],
    });
    expect(ingestRequestOf(body)).toEqual({
      type: 'objects',
      objects: [
        { bucket: 'b', key: 'incoming/x y/items.csv', size: 3, eTag: 'e', sequencer: '01' },
      ],
    });
  });

  it('throws on a continuation of the wrong shape, and on a body that is not JSON, so they end in the DLQ', () => {
    expect(() => ingestRequestOf(JSON.stringify({ ...CONTINUATION, segment: 0 }))).toThrow(
      'not an ingest_continuation message: message/segment must be >= 1',
    );
    expect(() => ingestRequestOf('not json')).toThrow(SyntaxError);
    expect(() => ingestRequestOf('null')).toThrow(
      'neither an S3 event notification nor an s3:TestEvent',
    );
  });
});
