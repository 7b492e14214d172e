import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '@tally/command-line';
import { localStackRecordPath } from '../local/localStackRecord';
import { WORKSPACE_ROOT } from '../workspaceRoot';
import type { TargetSource } from './resolveTargets';

/** Environment folders under infra/envs: a plain name, never a path. */
const ENV_NAME = /^[a-z0-9][a-z0-9-]*$/;

const envRoot = (name: string): string => join(WORKSPACE_ROOT, 'infra', 'envs', name);

/**
 * The source that `--local[=<endpoints>]` and `--env <env>` name: a bare `--local` is the
 * running `tally local`. Throws a UsageError for an `--env` that names no folder of infra/envs.
 *
 * @example
 * targetSourceOf({ local: '' }, process.env); // { kind: 'local-stack', recordPath: '/tmp/tally-local-ada.json' }
 */
export const targetSourceOf = (
  options: { readonly local?: string | undefined; readonly env?: string | undefined },
  env: Readonly<Record<string, string | undefined>>,
): TargetSource => {
  if (options.env !== undefined) {
    if (!ENV_NAME.test(options.env) || !existsSync(envRoot(options.env)))
      throw new UsageError(
        `--env must name a folder of infra/envs, got ${JSON.stringify(options.env)}`,
      );
    return { kind: 'env', name: options.env };
  }
  if (options.local === '') return { kind: 'local-stack', recordPath: localStackRecordPath(env) };
  if (options.local !== undefined) return { kind: 'local', endpoints: options.local };
  return { kind: 'ambient' };
};

/**
 * The first `Error:` line of Terraform's stderr (without colours, `-no-color`), out of the box
 * it draws around diagnostics (`╷`, `│`, `╵`).
 *
 * @example
 * firstTerraformErrorOf('╷\n│ Error: Backend initialization required\n│ \n╵\n'); // 'Error: Backend initialization required'
 */
export const firstTerraformErrorOf = (stderr: string): string | undefined =>
  stderr
    .split('\n')
    .map((line) => line.replace(/^[\s│╷╵]+/, '').trim())
    .find((line) => line.startsWith('Error:'));

/**
 * stdout of `terraform -chdir=infra/envs/<name> output -json`. Throws with Terraform's first
 * `Error:` line (its own output is many coloured lines), so the CLI still says why in one line.
 */
export const terraformOutputs = (envName: string): string => {
  const result = spawnSync(
    'terraform',
    [`-chdir=${envRoot(envName)}`, 'output', '-json', '-no-color'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (result.error !== undefined) throw result.error;
  if (result.status === 0) return result.stdout;
  const how = result.status === null ? `was killed by ${result.signal}` : `exited ${result.status}`;
  throw new Error(
    `terraform output ${how}: ${firstTerraformErrorOf(result.stderr) ?? 'no error message'}`,
  );
};
