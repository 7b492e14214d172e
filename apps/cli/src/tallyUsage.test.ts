import { formatUsage } from '@tally/command-line';
import { TALLY_COMMANDS, TALLY_USAGE } from './runTally';
import { runTallyBin } from './testing/runTallyBin';
import type { TallyResult } from './testing/runTallyInProcess';
import { runTallyInProcess } from './testing/runTallyInProcess';

const usageOf = (name: string): string => {
  const command = TALLY_COMMANDS.find((candidate) => candidate.spec.name === `tally ${name}`);
  return command ? formatUsage(command.spec) : TALLY_USAGE;
};

/** Every command with an option it does not have, run through the real bin. */
const UNKNOWN_OPTIONS = [
  ...TALLY_COMMANDS.map((command) => command.spec.name.replace(/^tally /, '')),
  '',
].map((name) => [name, name === '' ? ['--bogus'] : [name, '--bogus']] as const);

let binResults: TallyResult[] = [];

beforeAll(async () => {
  // Three at a time: each run starts a Node process, and the machine has few cores.
  const queue = UNKNOWN_OPTIONS.map(([, args], index) => ({ args, index }));
  binResults = new Array<TallyResult>(queue.length);
  await Promise.all(
    Array.from({ length: 3 }, async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift())
        binResults[next.index] = await runTallyBin(next.args);
    }),
  );
}, 120_000);

describe('the tally bin, given an unknown option', () => {
  it.each(UNKNOWN_OPTIONS.map(([name, args], index) => [args.join(' '), name, index] as const))(
    '`tally %s` exits 64 with one line naming it, then the usage',
    (_args, name, index) => {
      const prefix = name === '' ? 'tally' : `tally ${name}`;
      expect(binResults[index]).toEqual({
        code: 64,
        stdout: '',
        stderr: `${prefix}: unknown option --bogus\n\n${usageOf(name)}`,
      });
    },
  );
});

describe('a bad command line', () => {
  it.each([
    [['run', '--batch-id'], 'tally run: --batch-id needs a value: --batch-id <id>'],
    [['local', '--json=yes'], 'tally local: --json takes no value'],
    [['run', '--concurrency', '0'], 'tally run: --concurrency must be at least 1, got "0"'],
    [['local', '--concurrency', 'x'], 'tally local: --concurrency must be a whole number, got "x"'],
    [['validate'], 'tally validate: missing <folder>'],
    [['validate', 'a', 'b'], 'tally validate: unexpected argument "b"'],
    [['status'], 'tally status: missing <batch>'],
    [
      ['status', 'b1', '--local', '--env', 'dev'],
      'tally status: --local and --env exclude each other',
    ],
    [
      ['status', 'b1', '--env', 'staging'],
      'tally status: --env must name a folder of infra/envs, got "staging"',
    ],
    [['tail', '--max', 'abc'], 'tally tail: --max must be a whole number, got "abc"'],
    [['tail', '--max', '0'], 'tally tail: --max must be at least 1, got "0"'],
    [
      ['tail', '--env', '../prod'],
      'tally tail: --env must name a folder of infra/envs, got "../prod"',
    ],
    [['replay'], 'tally replay: missing --batch <id>'],
    [['replay', '--batch', 'b1', '--env'], 'tally replay: --env needs a value: --env <env>'],
    [['check', '.'], 'tally: unknown command "check"'],
    [[], 'tally: missing <command>'],
  ])('`tally %j` exits 64 with "%s" and the usage', async (args, line) => {
    expect(await runTallyInProcess(args)).toEqual({
      code: 64,
      stdout: '',
      stderr: `${line}\n\n${usageOf(args[0] ?? '')}`,
    });
  });
});

describe('help', () => {
  it('`tally --help` lists every command, how to get its help, and the exit codes', async () => {
    expect(await runTallyInProcess(['--help'])).toEqual({
      code: 0,
      stdout: TALLY_USAGE,
      stderr: '',
    });
    expect(TALLY_USAGE).toMatch(/^usage: tally <command> \[options\]\n/);
    for (const command of TALLY_COMMANDS) expect(TALLY_USAGE).toContain(command.brief);
    expect(TALLY_USAGE).toContain('  64  bad usage');
  });

  it.each(TALLY_COMMANDS.map((command) => [command.spec.name, command] as const))(
    '`%s --help` prints its usage, options and exit codes on stdout and exits 0',
    async (name, command) => {
      const result = await runTallyInProcess([name.replace(/^tally /, ''), '--help']);
      expect(result).toEqual({ code: 0, stdout: formatUsage(command.spec), stderr: '' });
      expect(result.stdout).toMatch(new RegExp(`^usage: ${name} `));
      expect(result.stdout).toContain('\noptions:\n');
      expect(result.stdout).toContain('\n  -h, --help ');
      expect(result.stdout).toContain('\nexit codes:\n  0 ');
      expect(result.stdout).toContain('\n  64  bad usage');
    },
  );

  it('`tally --version` prints the version of package.json', async () => {
    expect(await runTallyInProcess(['--version'])).toEqual({
      code: 0,
      stdout: '0.1.0\n',
      stderr: '',
    });
  });
});

describe('a folder that cannot be read', () => {
  it('`tally run` exits 1 with one line naming the folder, before it starts a stack', async () => {
    expect(await runTallyInProcess(['run', '/nonexistent/b1', '--no-build'])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "tally run: cannot read the batch folder /nonexistent/b1: caused by: ENOENT: no such file or directory, scandir '/nonexistent/b1'\n",
    });
  });
});
