import { validateCustomerMessage } from './validateCustomerMessage';

const GOOD = {
  type: 'customer_message',
  customer_reference: 'C1',
  number_of_orders: 2,
  total_amount_spent: 19.99,
};

describe('validateCustomerMessage', () => {
  it.each([
    ['a typical message', GOOD],
    ['a customer without orders', { ...GOOD, number_of_orders: 0, total_amount_spent: 0 }],
    ['a whole amount', { ...GOOD, total_amount_spent: 12345679 }],
    [
      'a message parsed from the wire',
      JSON.parse(
        '{"type":"customer_message","customer_reference":"C1","number_of_orders":1,"total_amount_spent":0.3}',
      ),
    ],
  ])('accepts %s', (_, message) => {
    expect(validateCustomerMessage(message)).toEqual({ success: true, data: message });
  });

  it.each([
    ['another type', { ...GOOD, type: 'error_message' }, 'message/type'],
    ['a negative order count', { ...GOOD, number_of_orders: -1 }, 'message/number_of_orders'],
    ['a fractional order count', { ...GOOD, number_of_orders: 1.5 }, 'message/number_of_orders'],
    ['a negative amount', { ...GOOD, total_amount_spent: -0.01 }, 'message/total_amount_spent'],
    ['an amount as text', { ...GOOD, total_amount_spent: '19.99' }, 'message/total_amount_spent'],
    [
      'a reference that is not text',
      { ...GOOD, customer_reference: 1 },
      'message/customer_reference',
    ],
    ['an extra property', { ...GOOD, batch_id: 'b1' }, 'additional properties'],
    [
      'a missing property',
      { type: 'customer_message', customer_reference: 'C1', number_of_orders: 0 },
      'total_amount_spent',
    ],
    ['a value that is not an object', 'C1', 'must be object'],
  ])('rejects %s', (_, message, mentioned) => {
    const result = validateCustomerMessage(message);
    expect(result.success).toBe(false);
    expect(!result.success && result.error.message).toContain(mentioned);
  });
});
