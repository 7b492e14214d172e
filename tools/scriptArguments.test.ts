import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The developer scripts read their command line through `@tally/command-line`, as `tally`
 * does: a bad option or value exits 64 with one line naming it, then the usage; `--help`
 * prints that usage on stdout. Each script runs in its own Node process with tsx's require
 * hook (what `npm run <script>` does, less the tsx launcher's extra process), so a script that
 * read its arguments at import, or half-way, would fail here.
 */
const workspaceRoot = join(__dirname, '..');

interface ScriptRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const runScript = async (script: string, args: readonly string[]): Promise<ScriptRun> => {
  const argv = ['--require', require.resolve('tsx/cjs'), join(workspaceRoot, 'tools', script)];
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [...argv, ...args], {
      cwd: workspaceRoot,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(workspaceRoot, 'tools', 'tsconfig.json') },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as ScriptRun;
    return { code, stdout, stderr };
  }
};

type Script = 'bench' | 'generate' | 'reliability' | 'iam:observe';

const SCRIPTS: Readonly<Record<Script, string>> = {
  bench: 'bench/bench.ts',
  generate: 'generate/generate.ts',
  reliability: 'reliability/reliability.ts',
  'iam:observe': 'infra/observeIamOperations.ts',
};
const SCRIPT_NAMES = Object.keys(SCRIPTS) as Script[];

const BAD_COMMAND_LINES = [
  ['bench', ['--bogus'], 'npm run bench: unknown option --bogus'],
  [
    'generate',
    ['--out', 'x', '--items', 'abc'],
    'npm run generate: --items must be a whole number, got "abc"',
  ],
  [
    'generate',
    ['--error-rate', '2', '--out', 'x'],
    'npm run generate: --error-rate must be at most 1, got "2"',
  ],
  ['generate', [], 'npm run generate: missing --out <dir>'],
  ['reliability', ['--bogus'], 'npm run reliability: unknown option --bogus'],
  ['iam:observe', ['--bogus'], 'npm run iam:observe: unknown option --bogus'],
  [
    'reliability',
    ['--scenario', 'nope', '--no-build'],
    'npm run reliability: unknown scenario nope; one of ',
  ],
] as const;

const runs = new Map<string, ScriptRun>();
const key = (script: string, args: readonly string[]) => [script, ...args].join(' ');

beforeAll(async () => {
  const jobs = [
    ...BAD_COMMAND_LINES.map(([script, args]) => [script, args] as const),
    ...SCRIPT_NAMES.map((script) => [script, ['--help']] as const),
  ];
  // Two at a time: each run loads a script and the modules it imports.
  await Promise.all(
    [0, 1].map(async (lane) => {
      for (let index = lane; index < jobs.length; index += 2) {
        const [script, args] = jobs[index] as (typeof jobs)[number];
        runs.set(key(script, args), await runScript(SCRIPTS[script], args));
      }
    }),
  );
}, 180_000);

describe('the developer scripts', () => {
  it.each(SCRIPT_NAMES)('`npm run %s -- --help` prints the usage and exits 0', (script) => {
    const run = runs.get(key(script, ['--help']));
    expect(run?.code).toBe(0);
    expect(run?.stderr).toBe('');
    expect(run?.stdout).toMatch(new RegExp(`^usage: npm run ${script} -- `));
    expect(run?.stdout).toContain('\nexit codes:\n');
  });

  it.each(BAD_COMMAND_LINES)(
    '`npm run %s -- %j` exits 64 with one line naming the problem, then the usage',
    (script, args, line) => {
      const run = runs.get(key(script, args));
      const usage = runs.get(key(script, ['--help']))?.stdout;
      const [first, ...rest] = (run?.stderr ?? '').split('\n');
      expect(run?.code).toBe(64);
      expect(run?.stdout).toBe('');
      expect(first?.startsWith(line)).toBe(true);
      expect(rest.join('\n')).toBe(`\n${usage}`);
    },
  );
});
