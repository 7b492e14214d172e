import type { IncomingHttpHeaders } from 'node:http';
import type { S3ObjectCreatedEventName } from './s3NotificationMessage';

export interface ObjectCreationRequest {
  bucket: string;
  /** The key as stored: the request path decoded. */
  key: string;
  eventName: S3ObjectCreatedEventName;
}

/** PUT sub-resources that change an existing object instead of creating one. */
const NON_CREATING_PUT_PARAMETERS = [
  'partNumber',
  'uploadId',
  'tagging',
  'acl',
  'retention',
  'legal-hold',
];

/**
 * Which path-style S3 request (`/<bucket>/<key>`) creates an object when it succeeds, and the
 * event S3 raises for it: PutObject, CopyObject (a PUT carrying `x-amz-copy-source`) and
 * CompleteMultipartUpload (a POST with `?uploadId=`). UploadPart (`?partNumber=&uploadId=`)
 * creates nothing. Browser POST uploads (a form POST to `/<bucket>`) are not recognised: fauxqs
 * does not implement them.
 *
 * @example
 * objectCreationRequest('PUT', '/b/incoming/x%20y.csv?x-id=PutObject', {});
 * // { bucket: 'b', key: 'incoming/x y.csv', eventName: 'ObjectCreated:Put' }
 */
export const objectCreationRequest = (
  method: string | undefined,
  url: string | undefined,
  headers: IncomingHttpHeaders,
): ObjectCreationRequest | undefined => {
  const { pathname, searchParams } = new URL(url ?? '/', 'http://local');
  const match = /^\/([^/]+)\/(.+)$/.exec(pathname);
  if (!match?.[1] || !match[2]) return undefined;
  let bucket: string;
  let key: string;
  try {
    // Clients percent-encode the key in the path; `+` in a path is a plus, not a space.
    bucket = decodeURIComponent(match[1]);
    key = decodeURIComponent(match[2]);
  } catch {
    return undefined;
  }
  if (method === 'PUT') {
    if (NON_CREATING_PUT_PARAMETERS.some((name) => searchParams.has(name))) return undefined;
    const eventName = headers['x-amz-copy-source'] ? 'ObjectCreated:Copy' : 'ObjectCreated:Put';
    return { bucket, key, eventName };
  }
  if (method === 'POST' && searchParams.has('uploadId')) {
    return { bucket, key, eventName: 'ObjectCreated:CompleteMultipartUpload' };
  }
  return undefined;
};
