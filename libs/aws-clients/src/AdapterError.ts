/**
 * Base of the errors this package throws. Subclasses set `name`, keep the SDK error as
 * `cause`, and carry the context an operator needs.
 */
export class AdapterError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AdapterError';
  }
}

/** A batch call still had unprocessed entries after every retry. Nothing was dropped silently. */
export class IncompleteBatchError extends AdapterError {
  public constructor(
    message: string,
    public readonly unprocessed: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'IncompleteBatchError';
  }
}

/**
 * S3 refused to read an object (403). A misconfiguration (a role or bucket policy), not a missing
 * object: the message is retried and ends in the DLQ, where an operator sees it.
 */
export class ObjectAccessDeniedError extends AdapterError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ObjectAccessDeniedError';
  }
}
