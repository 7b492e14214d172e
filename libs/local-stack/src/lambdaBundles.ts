import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FunctionKey } from './pipelineSettings';

const WORKSPACE_ROOT = join(__dirname, '..', '..', '..');

/** Where `nx build <function>` writes the function's bundle: `dist/<function>/index.js`. */
export const lambdaBundlePath = (functionKey: FunctionKey): string =>
  join(WORKSPACE_ROOT, 'dist', functionKey, 'index.js');

/**
 * Makes sure the functions' bundles exist. `build: true` always runs the Nx build (its cache
 * makes that cheap when nothing changed); `false` never builds and fails if a bundle is missing;
 * left out, it builds only when a bundle is missing. Nx's output goes to stderr.
 */
export const ensureLambdaBundles = (
  functionKeys: readonly FunctionKey[],
  build?: boolean,
): void => {
  if (functionKeys.length === 0) return;
  const missing = functionKeys.filter((functionKey) => !existsSync(lambdaBundlePath(functionKey)));
  if (build === false || (build === undefined && missing.length === 0)) {
    if (missing.length > 0)
      throw new Error(`missing Lambda bundles: ${missing.map(lambdaBundlePath).join(', ')}`);
    return;
  }
  const result = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', ...functionKeys], {
    cwd: WORKSPACE_ROOT,
    stdio: ['ignore', 2, 2],
  });
  if (result.status !== 0)
    throw new Error(
      `building ${functionKeys.join(', ')} failed (exit ${result.status ?? result.signal})`,
    );
  const stillMissing = functionKeys.filter(
    (functionKey) => !existsSync(lambdaBundlePath(functionKey)),
  );
  if (stillMissing.length > 0)
    throw new Error(`the build wrote no bundle for ${stillMissing.join(', ')}`);
};
