import { createHash } from 'node:crypto';
import type { RowError } from '../errors/RowError';
import { formatAmount } from '../money/amount';
import type { BatchSummaryMessage, ErrorMessage, OutputMessage } from './outputMessageTypes';

/**
 * The `error_message` for a problem found in batch `batchId`. Optional fields absent from the
 * error are absent from the message.
 *
 * @example
 * ```ts
 * errorMessageOf('b1', { code: 'FILE_EMPTY', file: 'orders.csv', message: 'orders.csv: the file has no header line' });
 * // { type: 'error_message', message: 'orders.csv: …', code: 'FILE_EMPTY', batch_id: 'b1', file: 'orders.csv' }
 * ```
 */
export function errorMessageOf(batchId: string, error: RowError): ErrorMessage {
  return {
    type: 'error_message',
    message: error.message,
    code: error.code,
    batch_id: batchId,
    file: error.file,
    ...(error.line === undefined ? {} : { line: error.line }),
    ...(error.column === undefined ? {} : { column: error.column }),
    ...(error.value === undefined ? {} : { value: error.value }),
  };
}

/**
 * The JSON text of an output message: fields in the order of their type, optional fields left
 * out when absent. `total_amount_spent` is a JSON number written from the amount's exact
 * decimal digits (`0.3`, `12345679`), never through a binary float; consumers that need
 * exactness must read it as a decimal, not a double.
 *
 * @example
 * ```ts
 * serializeOutputMessage({ type: 'customer_message', customer_reference: 'C1', number_of_orders: 2, total_amount_spent: 300_000n });
 * // '{"type":"customer_message","customer_reference":"C1","number_of_orders":2,"total_amount_spent":0.3}'
 * ```
 */
export function serializeOutputMessage(message: OutputMessage): string {
  if (message.type === 'customer_message') {
    return `{"type":"customer_message","customer_reference":${JSON.stringify(message.customer_reference)},"number_of_orders":${message.number_of_orders},"total_amount_spent":${formatAmount(message.total_amount_spent)}}`;
  }
  if (message.type === 'batch_summary') {
    const summary: BatchSummaryMessage = {
      type: message.type,
      batch_id: message.batch_id,
      revision: message.revision,
      files: message.files.map((file) => ({
        kind: file.kind,
        file: file.file,
        object_key: file.object_key,
        object_version: file.object_version,
        rows: file.rows,
      })),
      customer_messages: message.customer_messages,
      error_messages: message.error_messages,
    };
    return JSON.stringify(summary);
  }
  const ordered: ErrorMessage = {
    type: message.type,
    message: message.message,
    code: message.code,
    batch_id: message.batch_id,
    file: message.file,
    line: message.line,
    column: message.column,
    value: message.value,
  };
  // JSON.stringify leaves out the properties that are undefined.
  return JSON.stringify(ordered);
}

/**
 * What a message is about, which scopes its id: an aggregation's messages belong to a revision
 * of the batch, ingest's messages to one upload (key and version) of one object.
 */
export type MessageOrigin =
  | { readonly batchId: string; readonly revision: number }
  | { readonly batchId: string; readonly objectKey: string; readonly objectVersion: string };

/**
 * A stable id for a serialized message: the first 32 hex digits of the SHA-256 of the batch
 * id, the revision (or the object key and version) and the body, NUL-separated. The same
 * message gets the same id on any re-run, so consumers of an at-least-once queue can
 * de-duplicate, while the same body in a later revision, or about a later upload, gets a new
 * id, so it is never mistaken for the earlier one.
 *
 * @example
 * ```ts
 * messageIdOf({ batchId: 'b1', revision: 2 }, serializeOutputMessage(message)); // 32 hex digits
 * ```
 */
export function messageIdOf(origin: MessageOrigin, serialized: string): string {
  const scope =
    'revision' in origin
      ? `revision\0${origin.revision}`
      : `object\0${origin.objectKey}\0${origin.objectVersion}`;
  return createHash('sha256')
    .update(`${origin.batchId}\0${scope}\0${serialized}`, 'utf8')
    .digest('hex')
    .slice(0, 32);
}
