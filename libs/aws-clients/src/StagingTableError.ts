import { AdapterError } from './AdapterError';

/**
 * A request to the staging table failed for a reason other than a write condition (which is an
 * expected answer, not an error): throttling that outlasted the SDK's retries, a missing table,
 * missing permissions, an item over DynamoDB's size limit. The SDK's error is the `cause`.
 *
 * @example
 * throw new StagingTableError('UpdateItem', 'tally-dev-staging', { cause: error });
 */
export class StagingTableError extends AdapterError {
  public constructor(
    /** The DynamoDB operation that failed, e.g. `UpdateItem`. */
    public readonly operation: string,
    tableName: string,
    options: ErrorOptions & { readonly cause: unknown },
  ) {
    super(
      `DynamoDB ${operation} on ${tableName} failed: ${options.cause instanceof Error ? `${options.cause.name}: ${options.cause.message}` : String(options.cause)}`,
      options,
    );
    this.name = 'StagingTableError';
  }
}
