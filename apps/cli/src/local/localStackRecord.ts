import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { EmulatorEndpoints, LocalResources } from '@tally/local-stack';

/**
 * Where a running `tally local` is: written when it is up, removed when it stops, so that
 * `tally status --local`, `tally tail --local` and `tally replay --local` find it. The same JSON
 * is what `tally local --json` prints and what `--local <file>` accepts.
 */
export interface LocalStackRecord {
  /** The `tally local` process; the record is stale once it has ended. */
  readonly pid: number;
  readonly startedAt: string;
  /** S3 is the notification proxy's endpoint. */
  readonly endpoints: EmulatorEndpoints;
  readonly resources: LocalResources;
}

/**
 * The record's path: `TALLY_LOCAL_STATE` when set, else one file per user in the temporary
 * folder (one local stack at a time is the normal case; the variable allows more).
 *
 * @example
 * localStackRecordPath(process.env); // '/tmp/tally-local-ada.json'
 */
export const localStackRecordPath = (env: Readonly<Record<string, string | undefined>>): string =>
  env['TALLY_LOCAL_STATE'] ?? join(tmpdir(), `tally-local-${userInfo().username}.json`);

/** Writes the record whole (a reader never sees half of it), readable by this user only. */
export const writeLocalStackRecord = (path: string, record: LocalStackRecord): void => {
  const partial = `${path}.${record.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  renameSync(partial, path);
};

/** Removes the record if it is still the one of process `pid` (a later stack may own it). */
export const removeLocalStackRecord = (path: string, pid: number): void => {
  try {
    const stored = JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown };
    if (stored.pid === pid) rmSync(path, { force: true });
  } catch {
    // No record, or not ours to judge: leave it.
  }
};

/** Whether process `pid` runs (signal 0 checks without sending; EPERM means it runs as another user). */
export const isProcessRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
};

const isRecord = (value: unknown): value is LocalStackRecord => {
  if (typeof value !== 'object' || value === null) return false;
  const { pid, endpoints, resources } = value as Record<string, unknown>;
  return (
    typeof pid === 'number' &&
    typeof endpoints === 'object' &&
    endpoints !== null &&
    typeof resources === 'object' &&
    resources !== null
  );
};

/**
 * Reads the record of the running `tally local`, failing with a sentence that says what to do
 * when there is none or its process has ended (killed without cleaning up).
 *
 * @example
 * const record = readLocalStackRecord(localStackRecordPath(process.env));
 */
export const readLocalStackRecord = (
  path: string,
  isRunning: (pid: number) => boolean = isProcessRunning,
): LocalStackRecord => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`no local stack is running (no ${path}): start one with \`tally local\``);
  }
  const parsed: unknown = JSON.parse(text);
  if (!isRecord(parsed)) throw new Error(`${path} is not a record of \`tally local\``);
  if (!isRunning(parsed.pid))
    throw new Error(
      `the local stack recorded in ${path} is not running (process ${parsed.pid} has ended): start one with \`tally local\``,
    );
  return parsed;
};
