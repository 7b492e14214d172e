/** A switch: `--json`. Its value is `true` when given, else `false`. */
export interface FlagOption {
  readonly type: 'boolean';
  readonly short?: string;
  readonly description: string;
}

/** `--batch <id>`. An empty value is refused; `multiple` collects every occurrence. */
export interface StringOption {
  readonly type: 'string';
  /** The placeholder usage shows, e.g. `id` for `--batch <id>`. */
  readonly valueName: string;
  readonly description: string;
  readonly short?: string;
  readonly default?: string;
  readonly multiple?: boolean;
  /** The command cannot run without it. */
  readonly required?: boolean;
  /**
   * The value may be left out: a bare `--local` reads as `''`. Given bare, the option takes the
   * next word as its value only when this says the word is one (`--local endpoints.json`);
   * otherwise that word stays a positional argument. `--local=<value>` always works.
   */
  readonly optionalValue?: (nextWord: string) => boolean;
}

/** A number written in digits: `--items 1000`, or `--error-rate 0.01` when `fraction` is true. */
export interface NumberOption {
  readonly type: 'number';
  readonly valueName: string;
  readonly description: string;
  readonly default?: number;
  /** Allows a fraction (`0.25`); otherwise only whole numbers. */
  readonly fraction?: boolean;
  readonly min?: number;
  readonly max?: number;
}

export type OptionSpec = FlagOption | StringOption | NumberOption;

/** A positional argument, e.g. `<batch>`. Optional ones must come last. */
export interface PositionalSpec {
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
}

/** One exit code and what it means. Usage errors (64) are added to every command. */
export type ExitCodeSpec = readonly [code: number, meaning: string];

/** Everything the command line of one command accepts, and what its help says. */
export interface CommandSpec<
  O extends Readonly<Record<string, OptionSpec>> = Readonly<Record<string, OptionSpec>>,
  P extends readonly PositionalSpec[] = readonly PositionalSpec[],
> {
  /** How the user types it: `tally status`, `npm run bench --`. */
  readonly name: string;
  /** One line: what the command does. */
  readonly summary: string;
  /** Paragraphs after the summary: what goes to stdout and stderr, what to know. */
  readonly details?: string;
  readonly positionals: P;
  readonly options: O;
  /** Options that exclude each other, by name: `[['local', 'env']]`. */
  readonly exclusive?: readonly (readonly string[])[];
  readonly exitCodes: readonly ExitCodeSpec[];
}

type ValueOf<S extends OptionSpec> = S extends FlagOption
  ? boolean
  : S extends StringOption
    ? S extends { readonly multiple: true }
      ? string[]
      : S extends { readonly default: string } | { readonly required: true }
        ? string
        : string | undefined
    : S extends { readonly default: number }
      ? number
      : number | undefined;

/** The parsed values of a command's options, typed from its spec. */
export type OptionValues<O extends Readonly<Record<string, OptionSpec>>> = {
  -readonly [K in keyof O]: ValueOf<O[K]>;
};

/** The parsed positional arguments, by name; optional ones may be undefined. */
export type PositionalValues<P extends readonly PositionalSpec[]> = {
  -readonly [S in P[number] as S['name']]: S['required'] extends true ? string : string | undefined;
};

/**
 * Declares a command's spec, keeping its literal types so that the parsed values are typed.
 *
 * @example
 * ```ts
 * const spec = defineCommand({
 *   name: 'tally status',
 *   summary: 'Shows where one batch is.',
 *   positionals: [{ name: 'batch', description: 'the batch id', required: true }],
 *   options: { json: { type: 'boolean', description: 'print JSON' } },
 *   exitCodes: [[0, 'shown']],
 * });
 * ```
 */
export const defineCommand = <
  const O extends Readonly<Record<string, OptionSpec>>,
  const P extends readonly PositionalSpec[],
>(
  spec: CommandSpec<O, P>,
): CommandSpec<O, P> => spec;
