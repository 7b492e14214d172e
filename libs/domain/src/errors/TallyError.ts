/**
 * The base of every error the domain throws, so callers can tell Tally's failures from the
 * runtime's with one `instanceof`. Subclasses keep `cause` (pass it in `options`) and set
 * `name` to their own class name, so logs say which failure it was.
 *
 * Validation problems are not thrown: they are data (`RowError`). Only failures the
 * caller cannot handle row by row are thrown.
 *
 * @example
 * ```ts
 * try {
 *   await consume(readCsvRecords(source, { maxLineBytes: 65_536 }));
 * } catch (error) {
 *   if (error instanceof TallyError) logger.warn(error.message, { error });
 *   else throw error;
 * }
 * ```
 */
export class TallyError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
