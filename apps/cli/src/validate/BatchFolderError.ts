/**
 * The folder cannot be checked as a batch: it is unreadable, or its name cannot be a batch id.
 * A failure of the invocation, not a finding about the data, so it never becomes an
 * `error_message`.
 *
 * @example
 * ```ts
 * throw new BatchFolderError('cannot read the folder ./b1', { cause: error });
 * ```
 */
export class BatchFolderError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
