import { TallyError } from './TallyError';

/**
 * The caller broke a documented precondition of the domain, e.g. added an order to a
 * `BatchAggregation` after its items. A bug in the caller, never a problem with the input,
 * so it has no code from `ERROR_CATALOGUE` and never becomes an `error_message`.
 *
 * @example
 * ```ts
 * throw new TallyUsageError('addOrder called after addItem: add customers, then orders, then items');
 * ```
 */
export class TallyUsageError extends TallyError {}
