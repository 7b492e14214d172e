import { validateOutputMessage } from './validateOutputMessage';

const CUSTOMER = {
  type: 'customer_message',
  customer_reference: 'C1',
  number_of_orders: 1,
  total_amount_spent: 5,
};
const ERROR = { type: 'error_message', message: 'x', code: 'ORPHAN_ITEM', batch_id: 'b1' };
const SUMMARY = {
  type: 'batch_summary',
  batch_id: 'b1',
  revision: 1,
  files: [
    {
      kind: 'items',
      file: 'items.csv',
      object_key: 'incoming/b1/items.csv',
      object_version: 'v1',
      rows: 2,
    },
  ],
  customer_messages: 1,
  error_messages: 1,
};
const UNKNOWN_TYPE = 'message/type must be "customer_message", "error_message" or "batch_summary"';

describe('validateOutputMessage', () => {
  it.each([
    ['a customer message', CUSTOMER],
    ['an error message', ERROR],
    ['an error message with a code of batch revisions', { ...ERROR, code: 'SECOND_FILE_OF_KIND' }],
    ['a batch summary', SUMMARY],
  ])('accepts %s', (_, message) => {
    expect(validateOutputMessage(message)).toEqual({ success: true, data: message });
  });

  it.each([
    [
      'a customer message with error fields',
      { ...CUSTOMER, code: 'ORPHAN_ITEM' },
      'message must NOT have additional properties',
    ],
    [
      'an error message with an unknown code',
      { ...ERROR, code: 'NOPE' },
      'message/code must be equal to one of the allowed values',
    ],
    ['a batch summary of revision 0', { ...SUMMARY, revision: 0 }, 'message/revision must be >= 1'],
    ['an internal message', { type: 'batch_ready', batch_id: 'b1', revision: 1 }, UNKNOWN_TYPE],
    ['a message without type', { customer_reference: 'C1' }, UNKNOWN_TYPE],
    ['null', null, UNKNOWN_TYPE],
    ['text', 'customer_message', UNKNOWN_TYPE],
  ])('rejects %s', (_, message, reason) => {
    expect(validateOutputMessage(message)).toEqual({ success: false, error: { message: reason } });
  });
});
