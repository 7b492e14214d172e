import type { IncomingHttpHeaders } from 'node:http';

/** The services the local stack meters, as `EmulatorEndpoints` names them. */
export type AwsService = 's3' | 'sqs' | 'dynamodb';

/** One kind of call: an API operation of a service on one resource. */
export interface AwsCall {
  service: AwsService;
  /**
   * The API operation, e.g. `GetObject`, `SendMessageBatch`, `BatchWriteItem`. An S3 object
   * request that names a version gets `+VersionId` (`GetObject+VersionId`): IAM authorizes it as
   * another action (`s3:GetObjectVersion`, not `s3:GetObject`).
   */
  operation: string;
  /**
   * The resource it names: `<bucket>` or `<bucket>/<key>` (S3), the queue's name (SQS), the
   * table's name or `<table>/index/<index>` (DynamoDB); `*` for a call that names none.
   */
  resource: string;
}

/** What a meter sees of a request before forwarding it. */
export interface AwsRequestLine {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

type Json = Record<string, unknown>;

/** S3 sub-resources of a bucket request (`?list-type=2`, `?notification`, ...) by method. */
const S3_BUCKET_OPERATIONS: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  GET: [
    ['list-type', 'ListObjectsV2'],
    ['versions', 'ListObjectVersions'],
    ['uploads', 'ListMultipartUploads'],
    ['notification', 'GetBucketNotificationConfiguration'],
    ['versioning', 'GetBucketVersioning'],
    ['location', 'GetBucketLocation'],
  ],
  PUT: [
    ['notification', 'PutBucketNotificationConfiguration'],
    ['versioning', 'PutBucketVersioning'],
  ],
  POST: [['delete', 'DeleteObjects']],
};

/** A bucket request's operation: by sub-resource, else the method's plain operation. */
const s3BucketOperationOf = (method: string, query: URLSearchParams): string => {
  const bySubresource = (S3_BUCKET_OPERATIONS[method] ?? []).find(([name]) => query.has(name));
  if (bySubresource) return bySubresource[1];
  const plain: Record<string, string> = {
    GET: 'ListObjects',
    HEAD: 'HeadBucket',
    PUT: 'CreateBucket',
    DELETE: 'DeleteBucket',
  };
  // An unknown form stays visibly unknown, so no IAM mapping can match it by accident.
  return plain[method] ?? `${method} bucket?${[...query.keys()].join('&')}`;
};

/** An object request's operation, from its method, query and copy-source header. */
const s3ObjectOperationOf = (
  method: string,
  query: URLSearchParams,
  headers: IncomingHttpHeaders,
): string => {
  const copy = headers['x-amz-copy-source'] !== undefined;
  const part = query.has('uploadId');
  switch (method) {
    case 'GET':
      return part ? 'ListParts' : 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'PUT':
      if (part) return copy ? 'UploadPartCopy' : 'UploadPart';
      return copy ? 'CopyObject' : 'PutObject';
    case 'POST':
      if (query.has('uploads')) return 'CreateMultipartUpload';
      if (part) return 'CompleteMultipartUpload';
      break;
    case 'DELETE':
      return part ? 'AbortMultipartUpload' : 'DeleteObject';
  }
  return `${method} object?${[...query.keys()].join('&')}`;
};

/** A path-style S3 request (`/<bucket>/<key>`; the local clients force path style). */
const s3CallOf = ({ method, url, headers }: AwsRequestLine): AwsCall => {
  const { pathname, searchParams } = new URL(url, 'http://s3.local');
  const [bucket = '', ...keyParts] = pathname.slice(1).split('/');
  const key = decodeURIComponent(keyParts.join('/'));
  if (key === '') {
    return {
      service: 's3',
      operation: s3BucketOperationOf(method, searchParams),
      resource: decodeURIComponent(bucket),
    };
  }
  const operation = s3ObjectOperationOf(method, searchParams, headers);
  return {
    service: 's3',
    operation: searchParams.has('versionId') ? `${operation}+VersionId` : operation,
    resource: `${decodeURIComponent(bucket)}/${key}`,
  };
};

const parseJson = (body: Buffer): Json => {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Json) : {};
  } catch {
    return {};
  }
};

const stringOf = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** The queue a request names: the last segment of its QueueUrl, or its QueueName. */
const queueOf = (request: Json): string => {
  const url = stringOf(request['QueueUrl']);
  if (url !== undefined) return url.replace(/\/+$/, '').split('/').pop() ?? url;
  return stringOf(request['QueueName']) ?? '*';
};

/** Every table a request names: TableName (with IndexName), RequestItems, TransactItems. */
const tablesOf = (request: Json): string[] => {
  const table = stringOf(request['TableName']);
  const index = stringOf(request['IndexName']);
  const batch = request['RequestItems'];
  const transact = [request['TransactItems'], request['TransactGetItems']].flatMap((items) =>
    Array.isArray(items) ? (items as Json[]) : [],
  );
  const names = [
    ...(table === undefined ? [] : [index === undefined ? table : `${table}/index/${index}`]),
    ...(typeof batch === 'object' && batch !== null ? Object.keys(batch) : []),
    ...transact.flatMap((item) =>
      Object.values(item).flatMap((action) => stringOf((action as Json)['TableName']) ?? []),
    ),
  ];
  return names.length > 0 ? [...new Set(names)] : ['*'];
};

/**
 * The calls one request makes, as IAM would authorize them: DynamoDB and SQS (JSON protocol)
 * by `X-Amz-Target` and the names in the body; S3 by method, path and query. One call per
 * resource named (a BatchWriteItem over two tables is two calls).
 *
 * @example
 * awsCallsOf({ method: 'GET', url: '/in/a.csv?versionId=3', headers: {} });
 * // [{ service: 's3', operation: 'GetObject+VersionId', resource: 'in/a.csv' }]
 */
export const awsCallsOf = (request: AwsRequestLine, body?: Buffer): AwsCall[] => {
  const target = request.headers['x-amz-target'];
  if (typeof target !== 'string') return [s3CallOf(request)];
  const [prefix = '', operation = ''] = target.split('.');
  const json = body ? parseJson(body) : {};
  if (prefix.startsWith('DynamoDB'))
    return tablesOf(json).map((resource) => ({ service: 'dynamodb', operation, resource }));
  return [{ service: 'sqs', operation, resource: queueOf(json) }];
};
