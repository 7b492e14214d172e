import type { Writable } from 'node:stream';

/** Where a command reads and writes: the process's own streams, or a test's. */
export interface CommandIo {
  /** The command's data: messages, JSON lines, the status table. Nothing else. */
  readonly stdout: Writable;
  /** Progress, summaries and errors; progress lines are drawn only when it is a terminal. */
  readonly stderr: Writable & { readonly isTTY?: boolean };
  /** Relative paths are taken from here (npm scripts run in the root: pass INIT_CWD). */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * The running process's streams and environment. npm runs scripts in the package root and
 * records where the user typed the command in INIT_CWD, so relative paths resolve from there.
 */
export const processIo = (): CommandIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.env['INIT_CWD'] ?? process.cwd(),
  env: process.env,
});

/** Writes `text` and resolves once the stream has taken it (before exiting, say). */
export const writeText = (stream: Writable, text: string): Promise<void> =>
  new Promise((resolve, reject) =>
    stream.write(text, (error) => (error ? reject(error) : resolve())),
  );
