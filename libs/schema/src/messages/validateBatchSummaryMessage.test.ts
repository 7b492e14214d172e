import type { BatchSummaryMessage } from '@tally/domain';
import { serializeOutputMessage } from '@tally/domain';
import { validateBatchSummaryMessage } from './validateBatchSummaryMessage';

const ITEMS = {
  kind: 'items',
  file: 'items-2.csv',
  object_key: 'incoming/b1/items-2.csv',
  object_version: '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY',
  rows: 1_000_000,
} as const;
const GOOD: BatchSummaryMessage = {
  type: 'batch_summary',
  batch_id: 'b1',
  revision: 3,
  files: [
    { ...ITEMS, kind: 'customers', file: 'customers.csv', object_key: 'incoming/b1/customers.csv' },
    { ...ITEMS, kind: 'orders', file: 'orders.csv', object_key: 'incoming/b1/orders.csv', rows: 0 },
    ITEMS,
  ],
  customer_messages: 60_000,
  error_messages: 0,
};

/** GOOD with members replaced or added. */
const summaryWith = (change: Record<string, unknown>): unknown => ({ ...GOOD, ...change });
/** GOOD whose items file has members replaced or added. */
const itemsWith = (change: Record<string, unknown>): unknown =>
  summaryWith({ files: [{ ...ITEMS, ...change }] });

describe('validateBatchSummaryMessage', () => {
  it.each([
    ['a summary of three files', GOOD],
    ['a summary as the domain serialises it', JSON.parse(serializeOutputMessage(GOOD))],
    ['a revision that sent nothing', summaryWith({ customer_messages: 0, error_messages: 0 })],
    ['a revision of one part', summaryWith({ files: [ITEMS], revision: 1 })],
  ])('accepts %s', (_, message) => {
    expect(validateBatchSummaryMessage(message)).toEqual({ success: true, data: message });
  });

  it.each([
    ['revision 0', summaryWith({ revision: 0 }), 'message/revision must be >= 1'],
    [
      'an empty batch id',
      summaryWith({ batch_id: '' }),
      'message/batch_id must NOT have fewer than 1 characters',
    ],
    ['no files', summaryWith({ files: [] }), 'message/files must NOT have fewer than 1 items'],
    [
      'a file of an unknown kind',
      itemsWith({ kind: 'refunds' }),
      'message/files/0/kind must be equal to one of the allowed values',
    ],
    ['a negative row count', itemsWith({ rows: -1 }), 'message/files/0/rows must be >= 0'],
    [
      'a file without its version',
      itemsWith({ object_version: '' }),
      'message/files/0/object_version must NOT have fewer than 1 characters',
    ],
    [
      'a file with an extra member',
      itemsWith({ sha256: 'ab' }),
      'message/files/0 must NOT have additional properties',
    ],
    [
      'a fractional count',
      summaryWith({ customer_messages: 1.5 }),
      'message/customer_messages must be integer',
    ],
    [
      'a negative count',
      summaryWith({ error_messages: -2 }),
      'message/error_messages must be >= 0',
    ],
    [
      'an extra member',
      summaryWith({ batch_revision: 3 }),
      'message must NOT have additional properties',
    ],
    [
      'another type',
      summaryWith({ type: 'error_message' }),
      'message/type must be equal to constant',
    ],
    [
      'a summary without counts',
      { type: 'batch_summary', batch_id: 'b1', revision: 1, files: [ITEMS] },
      "message must have required property 'customer_messages', message must have required property 'error_messages'",
    ],
  ])('rejects %s', (_, message, reason) => {
    expect(validateBatchSummaryMessage(message)).toEqual({
      success: false,
      error: { message: reason },
    });
  });
});
