import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ObjectUnavailableError } from '@tally/domain';
import { S3ObjectSource } from './S3ObjectSource';
import { createBucket, emulatorClients, uniqueName } from './testing/emulatorClients';

const { s3 } = emulatorClients();

const readAll = async (chunks: AsyncIterable<Uint8Array>): Promise<string> => {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts).toString('utf8');
};

describe('S3ObjectSource on fauxqs', () => {
  it('streams the upload an event names, and reports one overwritten or deleted since as unavailable', async () => {
    const bucket = uniqueName('input');
    await createBucket(s3, bucket);
    const key = 'incoming/my batch é+&=/customers.csv';
    const first = await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'customer_reference\nC1\n' }),
    );
    const eTag = (first.ETag as string).replace(/"/g, '');
    const source = new S3ObjectSource(s3);
    const location = { bucket, key, size: 21, eTag, sequencer: '01' };

    expect(await readAll(source.open(location))).toBe('customer_reference\nC1\n');
    expect(await readAll(source.open(location, 19))).toBe('C1\n');

    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'customer_reference\nC2\n' }),
    );
    await expect(readAll(source.open(location))).rejects.toEqual(
      expect.objectContaining({ constructor: ObjectUnavailableError, reason: 'overwritten' }),
    );
    await expect(
      readAll(source.open({ ...location, key: 'incoming/none/items.csv' })),
    ).rejects.toEqual(
      expect.objectContaining({ constructor: ObjectUnavailableError, reason: 'deleted' }),
    );
  });
});
