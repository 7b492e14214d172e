import { Writable } from 'node:stream';
import { runTally } from '../runTally';

/** What one `tally` run returned and wrote. */
export interface TallyResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `tally <args>` in this process, with streams that keep what is written and the given
 * environment (none of the process's own).
 *
 * @example
 * ```ts
 * const { code, stdout } = await runTallyInProcess(['validate', folder]);
 * ```
 */
export const runTallyInProcess = async (
  args: readonly string[],
  { cwd = process.cwd(), env = {} }: { cwd?: string; env?: Record<string, string> } = {},
): Promise<TallyResult> => {
  const written = { stdout: '', stderr: '' };
  const collecting = (name: keyof typeof written) =>
    new Writable({
      write(chunk, _encoding, done) {
        written[name] += String(chunk);
        done();
      },
    });
  const code = await runTally(args, {
    stdout: collecting('stdout'),
    stderr: collecting('stderr'),
    cwd,
    env,
  });
  return { code, ...written };
};
