import { validateOutputMessage } from './validateOutputMessage';

const CUSTOMER = {
  type: 'customer_message',
  customer_reference: 'C1',
  number_of_orders: 1,
  total_amount_spent: 5,
};
const ERROR = { type: 'error_message', message: 'x', code: 'ORPHAN_ITEM', batch_id: 'b1' };

describe('validateOutputMessage', () => {
  it.each([
    ['a customer message', CUSTOMER],
    ['an error message', ERROR],
  ])('accepts %s', (_, message) => {
    expect(validateOutputMessage(message)).toEqual({ success: true, data: message });
  });

  it.each([
    [
      'a customer message with error fields',
      { ...CUSTOMER, code: 'ORPHAN_ITEM' },
      'additional properties',
    ],
    ['an error message with an unknown code', { ...ERROR, code: 'NOPE' }, 'message/code'],
    ['an unknown type', { ...CUSTOMER, type: 'batch_ready' }, 'message/type'],
    ['a message without type', { customer_reference: 'C1' }, 'message/type'],
    ['null', null, 'message/type'],
    ['text', 'customer_message', 'message/type'],
  ])('rejects %s', (_, message, mentioned) => {
    const result = validateOutputMessage(message);
    expect(result.success).toBe(false);
    expect(!result.success && result.error.message).toContain(mentioned);
  });
});
