import type { CommandSpec, ExitCodeSpec, OptionSpec } from './CommandSpec';

/** The exit code of a bad command line (sysexits.h `EX_USAGE`), the same for every command. */
export const EXIT_USAGE = 64;

/** The line every help adds to the command's own exit codes. */
export const USAGE_EXIT_CODE: ExitCodeSpec = [
  EXIT_USAGE,
  'bad usage: an unknown option or command, a missing or bad value or argument',
];

/** How an option is written in usage: `--batch <id>`, `--local[=<endpoints>]`, `-h, --help`. */
const optionSyntax = (name: string, spec: OptionSpec): string => {
  const short = spec.type !== 'number' && spec.short !== undefined ? `-${spec.short}, ` : '';
  if (spec.type === 'boolean') return `${short}--${name}`;
  if (spec.type === 'string' && spec.optionalValue !== undefined)
    return `${short}--${name}[=<${spec.valueName}>]`;
  return `${short}--${name} <${spec.valueName}>`;
};

const defaultOf = (spec: OptionSpec): string =>
  spec.type !== 'boolean' && spec.default !== undefined ? ` (default ${spec.default})` : '';

/** Two columns: the first padded to its widest entry; continuation lines indented under the second. */
export const formatColumns = (rows: readonly (readonly [string, string])[]): string[] => {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(
    ([left, right]) =>
      `  ${left.padEnd(width)}  ${right.replace(/\n/g, `\n  ${' '.repeat(width)}  `)}`,
  );
};

/** The `usage:` line: name, positionals (`<batch>`, `[<folder>]`) and `[options]`. */
export const usageLine = (spec: CommandSpec): string => {
  const positionals = spec.positionals.map((positional) =>
    positional.required ? `<${positional.name}>` : `[<${positional.name}>]`,
  );
  const required = Object.entries(spec.options)
    .filter(([, option]) => option.type === 'string' && option.required)
    .map(([name, option]) => optionSyntax(name, option));
  return ['usage:', spec.name, ...positionals, ...required, '[options]'].join(' ');
};

/**
 * The help of a command: usage line, summary and details, arguments, options (with `-h,
 * --help`) and exit codes (with 64, usage).
 *
 * @example
 * ```ts
 * io.stdout.write(formatUsage(statusSpec));
 * ```
 */
export const formatUsage = (spec: CommandSpec): string => {
  const sections = [usageLine(spec), [spec.summary, spec.details].filter(Boolean).join('\n\n')];
  if (spec.positionals.length > 0)
    sections.push(
      [
        'arguments:',
        ...formatColumns(
          spec.positionals.map((positional) => [`<${positional.name}>`, positional.description]),
        ),
      ].join('\n'),
    );
  sections.push(
    [
      'options:',
      ...formatColumns([
        ...Object.entries(spec.options).map(([name, option]): [string, string] => [
          optionSyntax(name, option),
          `${option.description}${defaultOf(option)}`,
        ]),
        ['-h, --help', 'print this help'],
      ]),
    ].join('\n'),
  );
  sections.push(formatExitCodes([...spec.exitCodes, USAGE_EXIT_CODE]));
  return `${sections.join('\n\n')}\n`;
};

/** The `exit codes:` section. */
export const formatExitCodes = (exitCodes: readonly ExitCodeSpec[]): string =>
  [
    'exit codes:',
    ...formatColumns(exitCodes.map(([code, meaning]): [string, string] => [String(code), meaning])),
  ].join('\n');
