import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TallyResult } from './runTallyInProcess';

/** The `tally` bin, as package.json names it. */
export const TALLY_BIN = join(__dirname, '..', '..', 'bin', 'tally.mjs');

/**
 * Runs the real bin in a child process, as a user would: the exit code and what went to each
 * stream. `env` is added to the process's environment, without INIT_CWD (an npm script sets it,
 * and the bin would take it as its working directory).
 *
 * @example
 * ```ts
 * const { code, stderr } = await runTallyBin(['status', '--bogus']);
 * ```
 */
export const runTallyBin = async (
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<TallyResult> => {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  delete childEnv['INIT_CWD'];
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [TALLY_BIN, ...args], {
      env: childEnv,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
};
