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
    [
      'writes a batch summary with its fields in a fixed order',
      {
        error_messages: 1,
        customer_messages: 2,
        files: [
          {
            rows: 3,
            object_version: 'v1',
            object_key: 'incoming/b1/items.csv',
            file: 'items.csv',
            kind: 'items',
          },
        ],
        revision: 4,
        batch_id: 'b1',
        type: 'batch_summary',
      },
      '{"type":"batch_summary","batch_id":"b1","revision":4,"files":[{"kind":"items","file":"items.csv","object_key":"incoming/b1/items.csv","object_version":"v1","rows":3}],"customer_messages":2,"error_messages":1}',
    ],
  ])('%s', (_name, message, json) => {
    expect(serializeOutputMessage(message)).toBe(json);
  });
});

describe('messageIdOf', () => {
  it('is the first 32 hex digits of sha256(batch id, scope, body), NUL-separated', () => {
    // printf 'b1\0revision\0002\0{}' | sha256sum
    expect(messageIdOf({ batchId: 'b1', revision: 2 }, '{}')).toBe(
      '969421da95365fcf9daa67d1bf1e257c',
    );
    // printf 'b1\0object\0incoming/b1/items.csv\0v1\0{}' | sha256sum
    expect(
      messageIdOf({ batchId: 'b1', objectKey: 'incoming/b1/items.csv', objectVersion: 'v1' }, '{}'),
    ).toBe('c522f40ef459eaecac85ab3d598cd4de');
  });

  it('is the same for the same message, and differs across batches, revisions, uploads and bodies', () => {
    const ids = [
      messageIdOf({ batchId: 'b1', revision: 1 }, 'x'),
      messageIdOf({ batchId: 'b1', revision: 1 }, 'x'),
      messageIdOf({ batchId: 'b2', revision: 1 }, 'x'),
      messageIdOf({ batchId: 'b1', revision: 2 }, 'x'),
      messageIdOf({ batchId: 'b1', revision: 1 }, 'y'),
      messageIdOf({ batchId: 'b1', objectKey: 'k', objectVersion: 'v1' }, 'x'),
      messageIdOf({ batchId: 'b1', objectKey: 'k', objectVersion: 'v2' }, 'x'),
    ];
    expect(ids[0]).toBe(ids[1]);
    expect(new Set(ids).size).toBe(6);
    expect(ids[0]).toMatch(/^[0-9a-f]{32}$/);
  });
});
