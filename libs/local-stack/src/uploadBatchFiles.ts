import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

/** Part size for uploads: fauxqs refuses request bodies over 11 MiB. */
const UPLOAD_PART_BYTES = 8 * 1024 * 1024;

export interface LocalUploadFile {
  /** File name under `<inputPrefix><batchId>/`, e.g. `customers.csv`. */
  name: string;
  /** The content, or `path` to read it from. */
  body?: string | Uint8Array | Readable;
  path?: string;
}

/** Where a batch's files go. */
export interface BatchUploadTarget {
  s3: S3Client;
  bucket: string;
  inputPrefix: string;
}

/**
 * Uploads the files at the same time as `<inputPrefix><batchId>/<name>` (multipart, in parts
 * the emulator accepts) and returns their keys. `onProgress` gets the bytes sent so far, all
 * files together, as parts complete.
 *
 * @example
 * await uploadBatchFiles(target, '2024-06-01', [{ name: 'customers.csv', path: 'customers.csv' }]);
 */
export const uploadBatchFiles = (
  target: BatchUploadTarget,
  batchId: string,
  files: readonly LocalUploadFile[],
  onProgress?: (bytesSent: number) => void,
): Promise<string[]> => {
  const sent = new Map<string, number>();
  return Promise.all(
    files.map(async (file) => {
      const key = `${target.inputPrefix}${batchId}/${file.name}`;
      const body = file.body ?? (file.path !== undefined ? createReadStream(file.path) : undefined);
      if (body === undefined) throw new Error(`${file.name}: give a body or a path`);
      const upload = new Upload({
        client: target.s3,
        params: { Bucket: target.bucket, Key: key, Body: body },
        partSize: UPLOAD_PART_BYTES,
        queueSize: 4,
      });
      upload.on('httpUploadProgress', ({ loaded = 0 }) => {
        sent.set(key, loaded);
        onProgress?.([...sent.values()].reduce((sum, bytes) => sum + bytes, 0));
      });
      await upload.done();
      return key;
    }),
  );
};
