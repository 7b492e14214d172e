import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTallyBin, TALLY_BIN } from '../testing/runTallyBin';
import { LOCAL_EXIT } from './localCommand';

/**
 * `tally local` as a user runs it: its own emulators, the built Lambdas, a record that the
 * other commands' `--local` find, and a clean stop on SIGTERM.
 */
const recordPath = join(mkdtempSync(join(tmpdir(), 'tally-local-')), 'local.json');
const env = { TALLY_LOCAL_STATE: recordPath };
let child: ChildProcessWithoutNullStreams;
let stdout = '';
let stderr = '';

beforeAll(async () => {
  child = spawn(process.execPath, [TALLY_BIN, 'local', '--no-build', '--json'], {
    env: { ...process.env, ...env },
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  while (!stdout.includes('\n')) {
    if (child.exitCode !== null) throw new Error(`tally local ended: ${stderr}`);
    await once(child.stdout, 'data');
  }
}, 90_000);

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
});

describe('tally local', () => {
  it('prints its record on stdout with --json and writes it where TALLY_LOCAL_STATE says', () => {
    const record = JSON.parse(stdout) as { pid: number; resources: { name: string } };
    expect(record.pid).toBe(child.pid);
    expect(record.resources.name).toBe('tally-local');
    expect(JSON.parse(readFileSync(recordPath, 'utf8'))).toEqual(record);
    expect(stderr).toContain('Tally local stack is running (Ctrl-C stops it).');
  });

  it('is found by status and tail --local', async () => {
    const [status, tail] = await Promise.all([
      runTallyBin(['status', 'no batch yet', '--local'], env),
      runTallyBin(['tail', '--local'], env),
    ]);
    // stderr may hold Node's warnings (the AWS SDK warns on Node 20), but nothing of ours.
    expect(status).toEqual({
      code: 2,
      stdout:
        'batch "no batch yet": unknown (nothing staged for it in tally-local-staging, or it expired)\nDLQs        ingest 0, aggregation 0, output 0\n',
      stderr: expect.not.stringMatching(/^tally /m),
    });
    expect(tail).toEqual({
      code: 0,
      stdout: '',
      stderr: expect.stringMatching(
        /^\[tail\] 0 message\(s\) printed, 0 read from \S+; all left on the queue\n$/m,
      ),
    });
  }, 60_000);

  it('stops on SIGTERM with exit code 0 and removes its record', async () => {
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(LOCAL_EXIT.stopped);
    expect(stderr).toContain('SIGTERM: stopping the local stack');
    expect(existsSync(recordPath)).toBe(false);
  }, 30_000);

  it('leaves status --local saying that no stack runs', async () => {
    expect(await runTallyBin(['status', 'b1', '--local'], env)).toEqual({
      code: 1,
      stdout: '',
      stderr: `tally status: no local stack is running (no ${recordPath}): start one with \`tally local\`\n`,
    });
  }, 30_000);
});
