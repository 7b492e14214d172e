import type { CommandIo } from './CommandIo';
import { processIo, writeText } from './CommandIo';
import type {
  CommandSpec,
  OptionSpec,
  OptionValues,
  PositionalSpec,
  PositionalValues,
} from './CommandSpec';
import { EXIT_USAGE, formatUsage } from './formatUsage';
import { parseCommandLine } from './parseCommandLine';
import { UsageError } from './UsageError';

/** The exit code of a command that failed for another reason than its usage. */
export const EXIT_FAILURE = 1;

/** What a command's action receives: the parsed command line and where to write. */
export interface CommandRun<
  O extends Readonly<Record<string, OptionSpec>>,
  P extends readonly PositionalSpec[],
> {
  readonly options: OptionValues<O>;
  readonly args: PositionalValues<P>;
  readonly io: CommandIo;
}

/** The {@link CommandRun} of a spec, e.g. `CommandRunOf<typeof statusSpec>`. */
export type CommandRunOf<S> = S extends CommandSpec<infer O, infer P> ? CommandRun<O, P> : never;

/** An action: does the command's work and resolves to its exit code. */
export type CommandAction<
  O extends Readonly<Record<string, OptionSpec>>,
  P extends readonly PositionalSpec[],
> = (run: CommandRun<O, P>) => Promise<number>;

/**
 * The message of an error and of its causes, on one line. Errors of Node's own modules may come
 * from another realm (Jest), so this does not rely on `instanceof Error`.
 */
export const describeError = (error: unknown): string => {
  const parts: string[] = [];
  for (let current: unknown = error; current !== undefined && parts.length < 5;) {
    const fields: { message?: unknown; cause?: unknown } =
      typeof current === 'object' && current !== null ? current : {};
    parts.push('message' in fields ? String(fields.message) : String(current));
    current = fields.cause;
  }
  return parts.join(': caused by: ').replace(/\s*\n\s*/g, ' ');
};

/**
 * Runs one command the same way for every command: `-h`/`--help` prints its help on stdout
 * (exit 0); a bad command line, or a {@link UsageError} from the action, prints one line naming
 * the problem and then the help on stderr (exit 64); an error thrown by the action prints one
 * line on stderr (exit 1). Never throws.
 *
 * @example
 * ```ts
 * process.exitCode = await executeCommand(statusSpec, argv, processIo(), showStatus);
 * ```
 */
export const executeCommand = async <
  O extends Readonly<Record<string, OptionSpec>>,
  P extends readonly PositionalSpec[],
>(
  spec: CommandSpec<O, P>,
  argv: readonly string[],
  io: CommandIo,
  action: CommandAction<O, P>,
): Promise<number> => {
  // `npm run bench --` says how to type it; its messages name `npm run bench`.
  const who = spec.name.replace(/ --$/, '');
  const usageError = async (message: string) => {
    await writeText(io.stderr, `${who}: ${message}\n\n${formatUsage(spec)}`);
    return EXIT_USAGE;
  };
  const parsed = parseCommandLine(spec, argv);
  if (parsed.kind === 'help') {
    await writeText(io.stdout, formatUsage(spec));
    return 0;
  }
  if (parsed.kind === 'usage-error') return usageError(parsed.message);
  try {
    return await action({ options: parsed.options, args: parsed.args, io });
  } catch (error) {
    if (error instanceof UsageError) return usageError(error.message);
    await writeText(io.stderr, `${who}: ${describeError(error)}\n`);
    return EXIT_FAILURE;
  }
};

/**
 * {@link executeCommand} as the whole process (a script's entry point): with the process's
 * arguments and streams, then exits with the command's code once stdout is flushed, so that
 * servers or sockets the command left open cannot keep the process alive.
 *
 * @example
 * ```ts
 * executeCommandAsProcess(benchSpec, async ({ options, io }) => { ...; return 0; });
 * ```
 */
export const executeCommandAsProcess = <
  O extends Readonly<Record<string, OptionSpec>>,
  P extends readonly PositionalSpec[],
>(
  spec: CommandSpec<O, P>,
  action: CommandAction<O, P>,
): void => {
  void executeCommand(spec, process.argv.slice(2), processIo(), action).then((code) =>
    process.stdout.write('', () => process.exit(code)),
  );
};
