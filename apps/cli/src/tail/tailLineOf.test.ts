import { tailLineOf } from './tailLineOf';

describe('tailLineOf', () => {
  it('keeps the body exactly as sent, amounts included, with the attributes in name order', () => {
    const body =
      '{"type":"customer_message","customer_reference":"C1","number_of_orders":2,"total_amount_spent":12345678901234.123456}';
    expect(
      tailLineOf({
        MessageId: 'm-1',
        Body: body,
        Attributes: { SentTimestamp: '1764583200000' },
        MessageAttributes: {
          message_type: { DataType: 'String', StringValue: 'customer_message' },
          batch_id: { DataType: 'String', StringValue: 'lot 7 – été' },
        },
      }),
    ).toBe(
      `{"messageId":"m-1","sentAt":"2025-12-01T10:00:00.000Z","attributes":{"batch_id":"lot 7 – été","message_type":"customer_message"},"body":${body}}`,
    );
  });

  it('gives a body that is not JSON as a string, on one line', () => {
    expect(tailLineOf({ MessageId: 'm-2', Body: 'not json\nat all' })).toBe(
      '{"messageId":"m-2","sentAt":null,"attributes":{},"body":"not json\\nat all"}',
    );
  });

  it('puts a multi-line JSON body on one line', () => {
    expect(JSON.parse(tailLineOf({ MessageId: 'm-3', Body: '{\n"a": 1\n}' }))).toEqual({
      messageId: 'm-3',
      sentAt: null,
      attributes: {},
      body: { a: 1 },
    });
    expect(tailLineOf({ MessageId: 'm-3', Body: '{\n"a": 1\n}' })).not.toContain('\n');
  });
});
