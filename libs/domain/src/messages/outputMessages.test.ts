import type { RowError } from '../errors/RowError';
import { errorMessageOf, messageIdOf, serializeOutputMessage } from './outputMessages';
import type { OutputMessage } from './outputMessageTypes';

describe('errorMessageOf', () => {
  it('copies every field of the error and names the batch', () => {
    const error: RowError = {
      code: 'VALUE_REQUIRED',
      file: 'items.csv',
      line: 7,
      column: 'item_name',
      value: '',
      message: 'm',
    };
    expect(errorMessageOf('b1', error)).toEqual({
      type: 'error_message',
      message: 'm',
      code: 'VALUE_REQUIRED',
      batch_id: 'b1',
      file: 'items.csv',
      line: 7,
      column: 'item_name',
      value: '',
    });
  });

  it('leaves out the fields the error lacks', () => {
    const message = errorMessageOf('b1', { code: 'FILE_EMPTY', file: 'orders.csv', message: 'm' });
    expect(Object.keys(message)).toEqual(['type', 'message', 'code', 'batch_id', 'file']);
  });
});

describe('serializeOutputMessage', () => {
  it.each<[string, OutputMessage, string]>([
    [
      'writes the amount as an exact JSON number',
      {
        type: 'customer_message',
        customer_reference: 'C1',
        number_of_orders: 2,
        total_amount_spent: 300_000n,
      },
      '{"type":"customer_message","customer_reference":"C1","number_of_orders":2,"total_amount_spent":0.3}',
    ],
    [
      'writes a whole amount without a point',
      {
        type: 'customer_message',
        customer_reference: 'C2',
        number_of_orders: 1,
        total_amount_spent: 12_345_679_000_000n,
      },
      '{"type":"customer_message","customer_reference":"C2","number_of_orders":1,"total_amount_spent":12345679}',
    ],
    [
      'writes amounts beyond a double exactly',
      {
        type: 'customer_message',
        customer_reference: 'C3',
        number_of_orders: 0,
        total_amount_spent: 99_999_999_999_999_999_999_900_001n,
      },
      '{"type":"customer_message","customer_reference":"C3","number_of_orders":0,"total_amount_spent":99999999999999999999.900001}',
    ],
    [
      'escapes references as JSON strings',
      {
        type: 'customer_message',
        customer_reference: 'say "hi"\n日本',
        number_of_orders: 0,
        total_amount_spent: 0n,
      },
      '{"type":"customer_message","customer_reference":"say \\"hi\\"\\n日本","number_of_orders":0,"total_amount_spent":0}',
    ],
    [
      'writes error fields in the order of the type, whatever the object order',
      {
        value: 'C9',
        column: 'customer_reference',
        line: 5,
        file: 'orders.csv',
        batch_id: 'b1',
        code: 'ORPHAN_ORDER',
        message: 'm',
        type: 'error_message',
      },
      '{"type":"error_message","message":"m","code":"ORPHAN_ORDER","batch_id":"b1","file":"orders.csv","line":5,"column":"customer_reference","value":"C9"}',
    ],
    [
      'leaves out absent optional fields',
      { type: 'error_message', message: 'm', code: 'KEY_INVALID', batch_id: '' },
      '{"type":"error_message","message":"m","code":"KEY_INVALID","batch_id":""}',
    ],
  ])('%s', (_name, message, json) => {
    expect(serializeOutputMessage(message)).toBe(json);
  });
});

describe('messageIdOf', () => {
  it('is the first 32 hex digits of sha256(batch id, NUL, body)', () => {
    // printf 'b1\0{}' | sha256sum
    expect(messageIdOf('b1', '{}')).toBe('ca8822c518ab913cd2e7027951b4dcde');
  });

  it('is the same for the same message and differs across batches and bodies', () => {
    const ids = [
      messageIdOf('b1', 'x'),
      messageIdOf('b1', 'x'),
      messageIdOf('b2', 'x'),
      messageIdOf('b1', 'y'),
      messageIdOf('b1\0', '\0x'),
    ];
    expect(ids[0]).toBe(ids[1]);
    expect(new Set(ids).size).toBe(4);
    expect(ids[0]).toMatch(/^[0-9a-f]{32}$/);
  });
});
