import { S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { ObjectUnavailableError } from '@tally/domain';
import type { ObjectLocation } from '@tally/domain';
import { Readable } from 'node:stream';
import { ObjectAccessDeniedError } from './AdapterError';
import { S3ObjectSource } from './S3ObjectSource';
import { withMiddleware } from './testing/injectMiddleware';

// S3 itself answers in the middleware, before any request leaves: nothing listens here.
const s3 = new S3Client({
  region: 'eu-west-1',
  endpoint: 'http://127.0.0.1:9',
  forcePathStyle: true,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

const location: ObjectLocation = {
  bucket: 'tally-test-input',
  key: 'incoming/b1/items.csv',
  size: 4,
  eTag: '0123abcd',
  sequencer: '01',
};
const versioned: ObjectLocation = { ...location, versionId: '3HL4kqtJvjVBH40Nrjfkd.wMtyGw2d6A' };

const readAll = async (chunks: AsyncIterable<Uint8Array>): Promise<string> => {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts).toString('utf8');
};

/** Reads `target` (from byte `from`) while S3 answers every GetObject with `answer`; records the requests. */
const readWith = async (
  target: ObjectLocation,
  answer: () => Record<string, unknown>,
  from?: number,
): Promise<{ requests: Record<string, unknown>[]; result: Promise<string> }> => {
  const requests: Record<string, unknown>[] = [];
  const result = withMiddleware(
    s3,
    async (input) => {
      requests.push(input);
      return answer();
    },
    () => readAll(new S3ObjectSource(s3).open(target, from)),
  );
  await result.catch(() => undefined);
  return { requests, result };
};

const s3Error = (name: string, httpStatusCode: number): S3ServiceException =>
  new S3ServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode },
    message: `${name} from S3`,
  });

describe('S3ObjectSource', () => {
  it('reads exactly the version an event names, without an eTag condition', async () => {
    const { requests, result } = await readWith(versioned, () => ({
      Body: Readable.from([Buffer.from('item')]),
    }));
    await expect(result).resolves.toBe('item');
    expect(requests).toEqual([
      {
        Bucket: 'tally-test-input',
        Key: 'incoming/b1/items.csv',
        VersionId: '3HL4kqtJvjVBH40Nrjfkd.wMtyGw2d6A',
      },
    ]);
  });

  it('pins the upload by its eTag when the event names no version', async () => {
    const { requests, result } = await readWith(location, () => ({
      Body: Readable.from([Buffer.from('item')]),
    }));
    await expect(result).resolves.toBe('item');
    expect(requests).toEqual([
      { Bucket: 'tally-test-input', Key: 'incoming/b1/items.csv', IfMatch: '"0123abcd"' },
    ]);
  });

  it.each([
    ['the version', versioned, { VersionId: '3HL4kqtJvjVBH40Nrjfkd.wMtyGw2d6A' }],
    ['the eTag', location, { IfMatch: '"0123abcd"' }],
  ])('reads a later segment from its first byte on, pinned by %s', async (_, target, pin) => {
    const { requests, result } = await readWith(
      target,
      () => ({ Body: Readable.from([Buffer.from('em')]) }),
      2,
    );
    await expect(result).resolves.toBe('em');
    expect(requests).toEqual([
      { Bucket: 'tally-test-input', Key: 'incoming/b1/items.csv', ...pin, Range: 'bytes=2-' },
    ]);
  });

  it('destroys the body when the reader stops early, so the connection closes', async () => {
    const body = Readable.from(
      (function* () {
        for (;;) yield Buffer.from('O1,pen,1,0.10\n');
      })(),
    );
    await withMiddleware(
      s3,
      async () => ({ Body: body }),
      async () => {
        for await (const chunk of new S3ObjectSource(s3).open(location, 4096)) {
          expect(chunk.length).toBeGreaterThan(0);
          break;
        }
      },
    );
    expect(body.destroyed).toBe(true);
  });

  it.each([
    ['NoSuchKey', 404, 'deleted', versioned],
    ['NoSuchVersion', 404, 'deleted', versioned],
    ['NotFound', 404, 'deleted', versioned],
    ['Unknown', 404, 'deleted', location],
    ['PreconditionFailed', 412, 'overwritten', location],
  ] as const)(
    'reports %s (%i) as an unavailable upload, %s, keeping the cause',
    async (name, status, reason, target) => {
      const answer = s3Error(name, status);
      const { result } = await readWith(target, () => {
        throw answer;
      });
      const error = (await result.catch((caught: unknown) => caught)) as ObjectUnavailableError;
      expect(error).toBeInstanceOf(ObjectUnavailableError);
      expect(error.reason).toBe(reason);
      expect(error.cause).toBe(answer);
      expect(error.message).toContain('s3://tally-test-input/incoming/b1/items.csv');
    },
  );

  it.each([
    ['AccessDenied', 403],
    ['Forbidden', 403],
  ])(
    'reports %s (%i) as a denied read, a failure to retry and dead-letter',
    async (name, status) => {
      const answer = s3Error(name, status);
      const { result } = await readWith(versioned, () => {
        throw answer;
      });
      const error = (await result.catch((caught: unknown) => caught)) as ObjectAccessDeniedError;
      expect(error).toBeInstanceOf(ObjectAccessDeniedError);
      expect(error).not.toBeInstanceOf(ObjectUnavailableError);
      expect(error.cause).toBe(answer);
      expect(error.message).toBe(
        "reading s3://tally-test-input/incoming/b1/items.csv version 3HL4kqtJvjVBH40Nrjfkd.wMtyGw2d6A was denied: the function's role needs s3:GetObject, s3:GetObjectVersion and s3:ListBucket on the input bucket",
      );
    },
  );

  it.each([
    ['InternalError', 500],
    ['SlowDown', 503],
    ['MethodNotAllowed', 405],
  ])('passes %s (%i) on unchanged, to be retried', async (name, status) => {
    const answer = s3Error(name, status);
    const { result } = await readWith(location, () => {
      throw answer;
    });
    await expect(result).rejects.toBe(answer);
  });
});
