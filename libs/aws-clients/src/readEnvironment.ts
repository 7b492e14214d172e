import { AdapterError } from './AdapterError';

/** How one environment variable is read. */
export type EnvironmentVariable =
  | { readonly type: 'string'; readonly default?: string }
  | { readonly type: 'url'; readonly default?: string }
  | { readonly type: 'integer'; readonly min: number; readonly default?: number }
  | { readonly type: 'boolean'; readonly default?: boolean };

/** A function's environment: variable name -> how to read it. */
export type EnvironmentSpec = Readonly<Record<string, EnvironmentVariable>>;

/** The typed values of an {@link EnvironmentSpec}. */
export type EnvironmentOf<S extends EnvironmentSpec> = {
  readonly [K in keyof S]: S[K] extends { type: 'integer' }
    ? number
    : S[K] extends { type: 'boolean' }
      ? boolean
      : string;
};

/** Configuration is missing or invalid: names every offending variable at once. */
export class ConfigurationError extends AdapterError {
  public constructor(public readonly problems: readonly string[]) {
    super(`Invalid Lambda configuration: ${problems.join('; ')}`);
    this.name = 'ConfigurationError';
  }
}

/**
 * Reads and validates a function's environment once, at cold start, failing fast with one
 * error that names every missing or invalid variable (not just the first).
 *
 * @example
 * const config = readEnvironment({ TALLY_TABLE_NAME: { type: 'string' } });
 * config.TALLY_TABLE_NAME; // string
 */
export const readEnvironment = <S extends EnvironmentSpec>(
  spec: S,
  env: Readonly<Record<string, string | undefined>> = process.env,
): EnvironmentOf<S> => {
  const problems: string[] = [];
  const values: Record<string, string | number | boolean> = {};
  for (const [name, variable] of Object.entries(spec)) {
    const raw = env[name];
    if (raw === undefined || raw === '') {
      if (variable.default === undefined) problems.push(`${name} is not set`);
      else values[name] = variable.default;
      continue;
    }
    switch (variable.type) {
      case 'string':
        values[name] = raw;
        break;
      case 'url':
        if (URL.canParse(raw)) values[name] = raw;
        else problems.push(`${name} must be a URL, got "${raw}"`);
        break;
      case 'integer': {
        const value = Number(raw);
        if (/^\d+$/.test(raw) && Number.isSafeInteger(value) && value >= variable.min)
          values[name] = value;
        else problems.push(`${name} must be an integer >= ${variable.min}, got "${raw}"`);
        break;
      }
      case 'boolean':
        if (raw === 'true' || raw === 'false') values[name] = raw === 'true';
        else problems.push(`${name} must be "true" or "false", got "${raw}"`);
        break;
    }
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return values as EnvironmentOf<S>;
};
