import type { ErrorCode, ErrorMessage } from '@tally/domain';
import { ERROR_CATALOGUE } from '@tally/domain';
import type { RequiredKeys } from '../ObjectSchemaShape';
import { errorMessageSchema } from './errorMessageSchema';
import { validateErrorMessage } from './validateErrorMessage';

type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

const MINIMAL = {
  type: 'error_message',
  message: 'items.csv line 3: quantity must be an integer >= 1',
  code: 'VALUE_OUT_OF_RANGE',
  batch_id: 'b1',
};
const FULL = { ...MINIMAL, file: 'items.csv', line: 3, column: 'quantity', value: '0' };

describe('errorMessageSchema', () => {
  it('names the members of ErrorMessage, and requires exactly its required ones', () => {
    const sameMembers: Equals<keyof typeof errorMessageSchema.properties, keyof ErrorMessage> =
      true;
    const sameRequired: Equals<
      (typeof errorMessageSchema.required)[number],
      RequiredKeys<ErrorMessage>
    > = true;
    expect([sameMembers, sameRequired]).toEqual([true, true]);
  });

  it('allows exactly the codes of the catalogue', () => {
    const codes: readonly ErrorCode[] = errorMessageSchema.properties.code.enum;
    expect(codes).toEqual(Object.keys(ERROR_CATALOGUE));
  });
});

describe('validateErrorMessage', () => {
  it.each([
    ['a message about the whole batch', MINIMAL],
    ['a message naming file, line, column and value', FULL],
    ['an empty value', { ...FULL, value: '' }],
  ])('accepts %s', (_, message) => {
    expect(validateErrorMessage(message)).toEqual({ success: true, data: message });
  });

  it.each(Object.keys(ERROR_CATALOGUE))('accepts the code %s', (code) => {
    expect(validateErrorMessage({ ...MINIMAL, code }).success).toBe(true);
  });

  it.each([
    ['an unknown code', { ...MINIMAL, code: 'NOT_A_CODE' }, 'message/code'],
    ['line 0', { ...FULL, line: 0 }, 'message/line'],
    ['a fractional line', { ...FULL, line: 1.5 }, 'message/line'],
    ['a null file', { ...FULL, file: null }, 'message/file'],
    ['a value that is not text', { ...FULL, value: 0 }, 'message/value'],
    ['a missing batch id', { type: 'error_message', message: 'x', code: 'FILE_EMPTY' }, 'batch_id'],
    ['another type', { ...MINIMAL, type: 'customer_message' }, 'message/type'],
    ['an extra property', { ...MINIMAL, severity: 'high' }, 'additional properties'],
  ])('rejects %s', (_, message, mentioned) => {
    const result = validateErrorMessage(message);
    expect(result.success).toBe(false);
    expect(!result.success && result.error.message).toContain(mentioned);
  });
});
