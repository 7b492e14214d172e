import { decodeEventKey, objectLocationsOf } from './objectLocationsOf';

const eventWith = (
  key: string,
  eventName = 'ObjectCreated:Put',
  object: Record<string, unknown> = {},
) => ({
  Records: [
    {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      eventName,
      s3: {
        bucket: { name: 'tally-dev-input' },
        object: {
          key,
          size: 42,
          eTag: '0123abcd',
          sequencer: '0055AED6DCD90281E5',
          ...object,
        },
      },
    },
  ],
});

describe('decodeEventKey', () => {
  it.each([
    ['incoming/my+batch/customers.csv', 'incoming/my batch/customers.csv'],
    ['incoming/a%2Bb/orders.csv', 'incoming/a+b/orders.csv'],
    ['incoming/x%26y%3Dz/items.csv', 'incoming/x&y=z/items.csv'],
    ['incoming/caf%C3%A9+%E6%97%A5%E6%9C%AC/items.csv', 'incoming/café 日本/items.csv'],
  ])('decodes the form-URL-encoded key %s', (encoded, decoded) => {
    expect(decodeEventKey(encoded)).toBe(decoded);
  });
});

describe('objectLocationsOf', () => {
  it('reads the object of an S3 notification with its decoded key', () => {
    expect(objectLocationsOf(eventWith('incoming/my+batch/customers.csv'))).toEqual({
      type: 'objects',
      objects: [
        {
          bucket: 'tally-dev-input',
          key: 'incoming/my batch/customers.csv',
          size: 42,
          eTag: '0123abcd',
          sequencer: '0055AED6DCD90281E5',
        },
      ],
    });
  });

  it('reads the version a versioned bucket names, so the source reads exactly that upload', () => {
    const notification = objectLocationsOf(
      eventWith('incoming/b/items.csv', 'ObjectCreated:Put', {
        versionId: '3HL4kqtJvjVBH40Nrjfkd.wMtyGw2d6A',
      }),
    );
    expect(notification).toEqual({
      type: 'objects',
      objects: [
        {
          bucket: 'tally-dev-input',
          key: 'incoming/b/items.csv',
          size: 42,
          eTag: '0123abcd',
          sequencer: '0055AED6DCD90281E5',
          versionId: '3HL4kqtJvjVBH40Nrjfkd.wMtyGw2d6A',
        },
      ],
    });
  });

  it.each([
    ['absent', {}],
    ['"null" (written while versioning was off)', { versionId: 'null' }],
    ['empty', { versionId: '' }],
  ])('names no version when the event has it %s', (_, object) => {
    const notification = objectLocationsOf(
      eventWith('incoming/b/items.csv', 'ObjectCreated:Put', object),
    );
    expect(notification.type === 'objects' && Object.keys(notification.objects[0] ?? {})).toEqual([
      'bucket',
      'key',
      'size',
      'eTag',
      'sequencer',
    ]);
  });

  it.each([
    'ObjectCreated:Put',
    'ObjectCreated:Post',
    'ObjectCreated:Copy',
    'ObjectCreated:CompleteMultipartUpload',
  ])('accepts %s', (eventName) => {
    const notification = objectLocationsOf(eventWith('incoming/b/items.csv', eventName));
    expect(notification.type === 'objects' && notification.objects.length).toBe(1);
  });

  it('recognises the s3:TestEvent sent when a notification is configured', () => {
    const body = {
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Time: '2026-11-25T10:00:00.000Z',
      Bucket: 'b',
      RequestId: 'r',
      HostId: 'h',
    };
    expect(objectLocationsOf(body)).toEqual({ type: 'test-event' });
  });

  it('throws on a body that is not an S3 notification, so it ends in the DLQ', () => {
    for (const body of [{ hello: 'world' }, [], 'text', null]) {
      expect(() => objectLocationsOf(body)).toThrow(
        'neither an S3 event notification nor an s3:TestEvent',
      );
    }
  });
});
