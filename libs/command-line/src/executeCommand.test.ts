import { Writable } from 'node:stream';
import type { CommandIo } from './CommandIo';
import { defineCommand } from './CommandSpec';
import { formatUsage } from './formatUsage';
import { describeError, executeCommand } from './executeCommand';
import { UsageError } from './UsageError';

const spec = defineCommand({
  name: 'tally probe',
  summary: 'Probes.',
  positionals: [{ name: 'batch', description: 'the batch', required: true }],
  options: { env: { type: 'string', valueName: 'env', description: 'an environment' } },
  exitCodes: [[0, 'done']],
});

const collectingIo = () => {
  const written = { stdout: '', stderr: '' };
  const collecting = (name: keyof typeof written) =>
    new Writable({
      write(chunk, _encoding, done) {
        written[name] += String(chunk);
        done();
      },
    });
  const io: CommandIo = {
    stdout: collecting('stdout'),
    stderr: collecting('stderr'),
    cwd: '/',
    env: {},
  };
  return { io, written };
};

describe('executeCommand', () => {
  it('runs the action with the parsed values and returns its code', async () => {
    const { io, written } = collectingIo();
    const code = await executeCommand(spec, ['b1', '--env', 'dev'], io, async (run) => {
      run.io.stdout.write(`${run.args.batch} ${run.options.env}\n`);
      return 3;
    });
    expect({ code, ...written }).toEqual({ code: 3, stdout: 'b1 dev\n', stderr: '' });
  });

  it('prints the help on stdout and exits 0 without running the action', async () => {
    const { io, written } = collectingIo();
    const action = jest.fn();
    expect(await executeCommand(spec, ['--help'], io, action)).toBe(0);
    expect(written).toEqual({ stdout: formatUsage(spec), stderr: '' });
    expect(action).not.toHaveBeenCalled();
  });

  it('prints one line naming the problem, then the help, on stderr and exits 64', async () => {
    const { io, written } = collectingIo();
    const action = jest.fn();
    expect(await executeCommand(spec, ['b1', '--bogus'], io, action)).toBe(64);
    expect(written).toEqual({
      stdout: '',
      stderr: `tally probe: unknown option --bogus\n\n${formatUsage(spec)}`,
    });
    expect(action).not.toHaveBeenCalled();
  });

  it('treats a UsageError from the action as bad usage', async () => {
    const { io, written } = collectingIo();
    const code = await executeCommand(spec, ['b1', '--env', 'staging'], io, async () => {
      throw new UsageError('--env: no folder infra/envs/staging');
    });
    expect(code).toBe(64);
    expect(written.stderr).toBe(
      `tally probe: --env: no folder infra/envs/staging\n\n${formatUsage(spec)}`,
    );
  });

  it('prints any other failure on one line, causes included, and exits 1', async () => {
    const { io, written } = collectingIo();
    const code = await executeCommand(spec, ['b1'], io, async () => {
      throw new Error('cannot read the table', { cause: new Error('connect\nECONNREFUSED') });
    });
    expect({ code, ...written }).toEqual({
      code: 1,
      stdout: '',
      stderr: 'tally probe: cannot read the table: caused by: connect ECONNREFUSED\n',
    });
  });
});

describe('describeError', () => {
  it.each([
    [new Error('plain'), 'plain'],
    ['a string', 'a string'],
    [{ message: 'from another realm' }, 'from another realm'],
    [new Error('outer', { cause: 'inner' }), 'outer: caused by: inner'],
  ])('describes %p', (error, text) => {
    expect(describeError(error)).toBe(text);
  });
});
