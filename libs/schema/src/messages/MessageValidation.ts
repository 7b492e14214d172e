/** Why a message was rejected: ajv's findings (or the JSON parse error) as one sentence. */
export interface MessageValidationError {
  readonly message: string;
}

/**
 * The outcome of checking a message against its schema.
 *
 * @example
 * ```ts
 * const result = validateCustomerMessage(JSON.parse(body));
 * if (!result.success) logger.warn(result.error.message);
 * ```
 */
export type MessageValidation<T> =
  | { readonly success: true; readonly data: T }
  | { readonly success: false; readonly error: MessageValidationError };
