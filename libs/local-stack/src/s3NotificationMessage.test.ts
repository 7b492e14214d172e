import {
  encodeS3EventKey,
  s3ObjectCreatedMessage,
  s3TestEventMessage,
} from './s3NotificationMessage';

describe('encodeS3EventKey', () => {
  it.each([
    ['incoming/batch-1/customers.csv', 'incoming/batch-1/customers.csv'],
    ['incoming/my batch/customers.csv', 'incoming/my+batch/customers.csv'],
    ['incoming/a+b/c.csv', 'incoming/a%2Bb/c.csv'],
    ['incoming/a&b=c/d.csv', 'incoming/a%26b%3Dc/d.csv'],
    ['incoming/café/ünï.csv', 'incoming/caf%C3%A9/%C3%BCn%C3%AF.csv'],
    ["incoming/(1) copy!/it's~*.csv", 'incoming/%281%29+copy%21/it%27s%7E*.csv'],
    ['incoming/10:47:07;x.csv', 'incoming/10%3A47%3A07%3Bx.csv'],
  ])('encodes %j as %j', (key, encoded) => {
    expect(encodeS3EventKey(key)).toBe(encoded);
  });

  it('round-trips through form-URL decoding', () => {
    const key = 'incoming/a b+c&d=e/é %.csv';
    expect(decodeURIComponent(encodeS3EventKey(key).replace(/\+/g, ' '))).toBe(key);
  });
});

describe('s3ObjectCreatedMessage', () => {
  it('writes the record S3 sends to SQS', () => {
    const body = s3ObjectCreatedMessage({
      eventName: 'ObjectCreated:Put',
      region: 'us-east-1',
      bucket: 'tally-local-input',
      key: 'incoming/b 1/customers.csv',
      size: 42,
      eTag: '9e107d9d372bb6826bd81d3542a419d6',
      sequencer: '00061E0F9C2A1B3C40',
      configurationId: 'tally-ingest',
      requestId: '0123456789ABCDEF',
      hostId: 'host-id',
      time: new Date('2024-06-01T12:00:00.123Z'),
    });
    expect(JSON.parse(body)).toEqual({
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'us-east-1',
          eventTime: '2024-06-01T12:00:00.123Z',
          eventName: 'ObjectCreated:Put',
          userIdentity: { principalId: 'AWS:000000000000:local' },
          requestParameters: { sourceIPAddress: '127.0.0.1' },
          responseElements: { 'x-amz-request-id': '0123456789ABCDEF', 'x-amz-id-2': 'host-id' },
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: 'tally-ingest',
            bucket: {
              name: 'tally-local-input',
              ownerIdentity: { principalId: 'A000000000000LOCAL' },
              arn: 'arn:aws:s3:::tally-local-input',
            },
            object: {
              key: 'incoming/b+1/customers.csv',
              size: 42,
              eTag: '9e107d9d372bb6826bd81d3542a419d6',
              sequencer: '00061E0F9C2A1B3C40',
            },
          },
        },
      ],
    });
  });
});

describe('s3TestEventMessage', () => {
  it('has no Records, only the test event fields', () => {
    const message = JSON.parse(
      s3TestEventMessage('tally-local-input', new Date('2024-06-01T12:00:00.000Z')),
    );
    expect(message).toEqual({
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Time: '2024-06-01T12:00:00.000Z',
      Bucket: 'tally-local-input',
      RequestId: expect.stringMatching(/^[0-9A-F]{16}$/),
      HostId: expect.any(String),
    });
  });
});
