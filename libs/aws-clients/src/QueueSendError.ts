import { AdapterError } from './AdapterError';

/**
 * A send to an SQS queue failed after the SDK's own retries: throttling that outlasted them, a
 * missing queue, missing permissions, a network failure. The SDK's error is the `cause`; the
 * record being handled is retried, and the messages keep their ids, so a consumer that
 * de-duplicates on `message_id` sees each once.
 *
 * @example
 * throw new QueueSendError('SendMessageBatch', queueUrl, { cause: error });
 */
export class QueueSendError extends AdapterError {
  public constructor(
    /** The SQS operation that failed, e.g. `SendMessageBatch`. */
    public readonly operation: string,
    public readonly queueUrl: string,
    options: ErrorOptions & { readonly cause: unknown },
  ) {
    super(
      `SQS ${operation} to ${queueUrl} failed: ${options.cause instanceof Error ? `${options.cause.name}: ${options.cause.message}` : String(options.cause)}`,
      options,
    );
    this.name = 'QueueSendError';
  }
}
