import { awsCallsOf } from './awsCallsOf';

const s3 = (method: string, url: string, headers: Record<string, string> = {}) =>
  awsCallsOf({ method, url, headers });

const json = (target: string, body: unknown) =>
  awsCallsOf(
    { method: 'POST', url: '/', headers: { 'x-amz-target': target } },
    Buffer.from(JSON.stringify(body)),
  );

describe('awsCallsOf', () => {
  it.each([
    ['GET', '/in/incoming/b1/a.csv?x-id=GetObject', {}, 'GetObject', 'in/incoming/b1/a.csv'],
    [
      'GET',
      '/in/incoming/b1/a.csv?versionId=3HL4kq&x-id=GetObject',
      {},
      'GetObject+VersionId',
      'in/incoming/b1/a.csv',
    ],
    ['HEAD', '/in/a.csv', {}, 'HeadObject', 'in/a.csv'],
    ['PUT', '/in/a.csv?x-id=PutObject', {}, 'PutObject', 'in/a.csv'],
    ['PUT', '/in/a.csv', { 'x-amz-copy-source': 'in/b.csv' }, 'CopyObject', 'in/a.csv'],
    ['POST', '/in/a.csv?uploads', {}, 'CreateMultipartUpload', 'in/a.csv'],
    ['PUT', '/in/a.csv?partNumber=2&uploadId=u1', {}, 'UploadPart', 'in/a.csv'],
    ['POST', '/in/a.csv?uploadId=u1', {}, 'CompleteMultipartUpload', 'in/a.csv'],
    ['DELETE', '/in/a.csv?uploadId=u1', {}, 'AbortMultipartUpload', 'in/a.csv'],
    ['DELETE', '/in/a.csv?versionId=7', {}, 'DeleteObject+VersionId', 'in/a.csv'],
    ['GET', '/in?list-type=2&prefix=incoming%2F', {}, 'ListObjectsV2', 'in'],
    ['HEAD', '/in', {}, 'HeadBucket', 'in'],
    ['PUT', '/in?notification', {}, 'PutBucketNotificationConfiguration', 'in'],
    ['PATCH', '/in/a.csv?select', {}, 'PATCH object?select', 'in/a.csv'],
  ])('names S3 %s %s as %s', (method, url, headers, operation, resource) => {
    expect(s3(method, url, headers)).toEqual([{ service: 's3', operation, resource }]);
  });

  it('decodes the key of a path-style request', () => {
    expect(s3('GET', '/in/incoming/lot%20%2B%20%26/%E6%97%A5.csv')).toEqual([
      { service: 's3', operation: 'GetObject', resource: 'in/incoming/lot + &/日.csv' },
    ]);
  });

  it('names an SQS call by its target and the queue its URL names', () => {
    expect(
      json('AmazonSQS.SendMessageBatch', {
        QueueUrl: 'http://127.0.0.1:4566/000000000000/tally-local-output',
        Entries: [],
      }),
    ).toEqual([{ service: 'sqs', operation: 'SendMessageBatch', resource: 'tally-local-output' }]);
    expect(json('AmazonSQS.GetQueueUrl', { QueueName: 'q1' })).toEqual([
      { service: 'sqs', operation: 'GetQueueUrl', resource: 'q1' },
    ]);
    expect(json('AmazonSQS.ListQueues', {})).toEqual([
      { service: 'sqs', operation: 'ListQueues', resource: '*' },
    ]);
  });

  it('names a DynamoDB call once per table it names, with the index a query reads', () => {
    expect(json('DynamoDB_20120810.Query', { TableName: 't1', IndexName: 'by-date' })).toEqual([
      { service: 'dynamodb', operation: 'Query', resource: 't1/index/by-date' },
    ]);
    expect(json('DynamoDB_20120810.BatchWriteItem', { RequestItems: { t1: [], t2: [] } })).toEqual([
      { service: 'dynamodb', operation: 'BatchWriteItem', resource: 't1' },
      { service: 'dynamodb', operation: 'BatchWriteItem', resource: 't2' },
    ]);
    expect(
      json('DynamoDB_20120810.TransactWriteItems', {
        TransactItems: [{ Put: { TableName: 't1' } }, { Update: { TableName: 't1' } }],
      }),
    ).toEqual([{ service: 'dynamodb', operation: 'TransactWriteItems', resource: 't1' }]);
    expect(json('DynamoDB_20120810.ListTables', {})).toEqual([
      { service: 'dynamodb', operation: 'ListTables', resource: '*' },
    ]);
  });

  it('names the resource * when the body is not JSON', () => {
    expect(
      awsCallsOf(
        { method: 'POST', url: '/', headers: { 'x-amz-target': 'DynamoDB_20120810.GetItem' } },
        Buffer.from('not json'),
      ),
    ).toEqual([{ service: 'dynamodb', operation: 'GetItem', resource: '*' }]);
  });
});
