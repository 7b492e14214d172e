/**
 * A command line that parses but makes no sense (`--env staging` where no such environment
 * exists). Thrown by a command's action; {@link executeCommand} prints it like a parse error and
 * exits with 64.
 */
export class UsageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
