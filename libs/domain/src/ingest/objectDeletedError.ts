import type { RowError } from '../errors/RowError';
import type { ObjectLocation } from '../ports/ObjectSource';

/**
 * The error for an upload that was deleted before ingest could read it: nothing of it is staged,
 * and it is not retried (it never comes back).
 *
 * @example
 * objectDeletedError('items.csv', location).code; // 'OBJECT_DELETED'
 */
export const objectDeletedError = (file: string, location: ObjectLocation): RowError => ({
  code: 'OBJECT_DELETED',
  file,
  message: `${file}: the upload ${location.versionId === undefined ? `with eTag ${location.eTag}` : `version ${location.versionId}`} was deleted before it could be read, so nothing of it was staged; upload the file again if it belongs to the batch`,
});
