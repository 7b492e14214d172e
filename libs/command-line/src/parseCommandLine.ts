import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import type {
  CommandSpec,
  NumberOption,
  OptionSpec,
  OptionValues,
  PositionalSpec,
  PositionalValues,
} from './CommandSpec';

/** What a command line asks for: help, a run with these values, or nothing valid. */
export type ParsedCommandLine<
  O extends Readonly<Record<string, OptionSpec>>,
  P extends readonly PositionalSpec[],
> =
  | { readonly kind: 'help' }
  | {
      readonly kind: 'run';
      readonly options: OptionValues<O>;
      readonly args: PositionalValues<P>;
    }
  /** `message` is one line naming the bad option, value or argument. */
  | { readonly kind: 'usage-error'; readonly message: string };

type NodeOptions = NonNullable<ParseArgsConfig['options']>;

const HELP = { type: 'boolean', short: 'h' } as const;

const nodeOptionsOf = (options: Readonly<Record<string, OptionSpec>>): NodeOptions => {
  const nodeOptions: NodeOptions = { help: HELP };
  for (const [name, spec] of Object.entries(options)) {
    nodeOptions[name] = {
      type: spec.type === 'boolean' ? 'boolean' : 'string',
      ...(spec.type !== 'number' && spec.short !== undefined && { short: spec.short }),
      ...(spec.type === 'string' && spec.multiple && { multiple: true }),
    };
  }
  return nodeOptions;
};

/**
 * Rewrites a bare optional-value option (`--local`) to `--local=` unless the next word is its
 * value, so that node's parser, which knows no optional values, reads it either way.
 */
const withOptionalValues = (
  argv: readonly string[],
  options: Readonly<Record<string, OptionSpec>>,
): string[] => {
  const rewritten: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const word = argv[index] ?? '';
    if (word === '--') return [...rewritten, ...argv.slice(index)];
    const spec = word.startsWith('--') ? options[word.slice(2)] : undefined;
    const next = argv[index + 1];
    const takesNext =
      spec?.type === 'string' && spec.optionalValue !== undefined
        ? next !== undefined && spec.optionalValue(next)
        : true;
    rewritten.push(takesNext ? word : `${word}=`);
  }
  return rewritten;
};

const numberError = (name: string, spec: NumberOption, text: string): string | undefined => {
  const pattern = spec.fraction ? /^\d+(\.\d+)?$/ : /^\d+$/;
  const value = Number(text);
  if (!pattern.test(text) || !Number.isFinite(value) || (!spec.fraction && value > 2 ** 53))
    return `--${name} must be ${spec.fraction ? 'a number' : 'a whole number'}, got ${JSON.stringify(text)}`;
  if (spec.min !== undefined && value < spec.min)
    return `--${name} must be at least ${spec.min}, got ${JSON.stringify(text)}`;
  if (spec.max !== undefined && value > spec.max)
    return `--${name} must be at most ${spec.max}, got ${JSON.stringify(text)}`;
  return undefined;
};

/** The first problem of the tokens, in command-line order, or undefined. */
const tokenProblem = (
  tokens: NonNullable<ReturnType<typeof parseArgs>['tokens']>,
  options: Readonly<Record<string, OptionSpec>>,
): string | undefined => {
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = options[token.name];
    if (spec === undefined) return `unknown option ${token.rawName}`;
    if (spec.type === 'boolean') {
      if (token.value !== undefined) return `${token.rawName} takes no value`;
    } else {
      const bare = spec.type === 'string' && spec.optionalValue !== undefined;
      // Node takes the next word even when it is an option (`--batch --json`): that is a
      // forgotten value, not a batch called "--json". `--batch=-x` passes a leading dash.
      const forgotten =
        token.value === undefined ||
        (!bare && token.value === '') ||
        (!token.inlineValue && token.value.startsWith('-'));
      if (forgotten) return `${token.rawName} needs a value: ${token.rawName} <${spec.valueName}>`;
      if (spec.type === 'number') {
        const problem = numberError(token.name, spec, token.value);
        if (problem !== undefined) return problem;
      }
    }
    const multiple = spec.type === 'string' && spec.multiple;
    if (seen.has(token.name) && !multiple) return `--${token.name} is given twice`;
    seen.add(token.name);
  }
  return undefined;
};

/**
 * Reads a command line against the command's spec with node's `parseArgs` (strict), and says
 * in one line what is wrong when something is: an unknown option, a missing or bad value, an
 * option given twice, options that exclude each other, a missing or extra argument. `-h` and
 * `--help` anywhere before `--` ask for help, whatever else is there.
 *
 * @example
 * ```ts
 * const parsed = parseCommandLine(statusSpec, ['2024-06-01', '--json']);
 * if (parsed.kind === 'run') parsed.args.batch; // '2024-06-01'
 * ```
 */
export const parseCommandLine = <
  O extends Readonly<Record<string, OptionSpec>>,
  P extends readonly PositionalSpec[],
>(
  spec: CommandSpec<O, P>,
  argv: readonly string[],
): ParsedCommandLine<O, P> => {
  const options: Readonly<Record<string, OptionSpec>> = spec.options;
  const nodeOptions = nodeOptionsOf(options);
  const args = withOptionalValues(argv, options);
  const { tokens = [] } = parseArgs({
    args,
    options: nodeOptions,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  if (tokens.some((token) => token.kind === 'option' && token.name === 'help'))
    return { kind: 'help' };
  const usageError = (message: string) => ({ kind: 'usage-error', message }) as const;
  const problem = tokenProblem(tokens, options);
  if (problem !== undefined) return usageError(problem);

  // The tokens passed every check above, so the strict parse cannot refuse them.
  const { values, positionals } = parseArgs({
    args,
    options: nodeOptions,
    strict: true,
    allowPositionals: true,
  });
  for (const group of spec.exclusive ?? []) {
    const given = group.filter((name) => values[name] !== undefined);
    if (given.length > 1)
      return usageError(`${given.map((name) => `--${name}`).join(' and ')} exclude each other`);
  }
  const parsedOptions: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(options)) {
    const value = values[name];
    if (option.type === 'boolean') parsedOptions[name] = value === true;
    else if (option.type === 'number')
      parsedOptions[name] = value === undefined ? option.default : Number(value);
    else {
      if (value === undefined && option.required)
        return usageError(`missing --${name} <${option.valueName}>`);
      parsedOptions[name] = value ?? option.default ?? (option.multiple ? [] : undefined);
    }
  }

  const parsedArgs: Record<string, string | undefined> = {};
  for (const [index, positional] of spec.positionals.entries()) {
    const value = positionals[index];
    if (value === undefined && positional.required)
      return usageError(`missing <${positional.name}>`);
    parsedArgs[positional.name] = value;
  }
  const extra = positionals[spec.positionals.length];
  if (extra !== undefined) return usageError(`unexpected argument ${JSON.stringify(extra)}`);
  return {
    kind: 'run',
    options: parsedOptions as OptionValues<O>,
    args: parsedArgs as PositionalValues<P>,
  };
};
