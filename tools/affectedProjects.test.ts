import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * Proves that the inputs Nx knows about are the files the tests really read: a change to each
 * file below makes the projects whose tests read it affected (so `nx affected` runs them and
 * their cached results are invalidated), and leaves unrelated projects alone. The drift tests
 * of `tools` read files outside `tools/` (README commands, docs/errors.md, Terraform files,
 * every project.json, renovate.json, .ci/run), declared as inputs of its test target in
 * tools/project.json; they run the built Lambdas and the `tally` bin, implicit dependencies.
 *
 * Each file is taken as wholly changed, without a git base, so the answer is the same in a
 * fresh clone, on any branch, offline. tools/scripts/affected-projects.mjs answers for every
 * file from one project graph; one file is also asked of the `nx` CLI, to show both agree.
 */
jest.setTimeout(120_000);

const workspaceRoot = join(__dirname, '..');

interface AffectedCase {
  readonly file: string;
  readonly affected: readonly string[];
  readonly unaffected: readonly string[];
}

const cases: readonly AffectedCase[] = [
  { file: 'README.md', affected: ['tools'], unaffected: ['domain', 'ingest', 'infra'] },
  { file: 'docs/errors.md', affected: ['tools'], unaffected: ['domain', 'infra'] },
  {
    file: 'package.json',
    affected: ['tools', 'domain', 'schema', 'aws-clients', 'ingest', 'aggregator'],
    unaffected: [],
  },
  {
    file: 'infra/modules/pipeline/main.tf',
    affected: ['infra', 'tools'],
    unaffected: ['domain', 'ingest'],
  },
  { file: 'infra/envs/dev/outputs.tf', affected: ['infra', 'tools'], unaffected: ['domain'] },
  { file: 'infra/project.json', affected: ['infra', 'tools'], unaffected: ['domain'] },
  {
    file: 'libs/schema/project.json',
    affected: ['schema', 'ingest', 'aggregator', 'tools'],
    unaffected: ['domain', 'infra'],
  },
  {
    file: 'pipeline.json',
    affected: ['tools', 'infra', 'ingest', 'aggregator', 'domain'],
    unaffected: [],
  },
  { file: 'renovate.json', affected: ['tools'], unaffected: ['domain', 'ingest', 'infra'] },
  { file: '.ci/run', affected: ['tools'], unaffected: ['domain', 'ingest', 'infra'] },
  {
    file: 'apps/ingest/src/main.ts',
    affected: ['ingest', 'tools'],
    unaffected: ['aggregator', 'domain', 'infra'],
  },
  // The README and end-to-end tests run the `tally` bin and its sample batch.
  { file: 'apps/cli/src/runTally.ts', affected: ['cli', 'tools'], unaffected: ['domain'] },
  { file: 'apps/cli/bin/tally.mjs', affected: ['cli', 'tools'], unaffected: ['domain'] },
  { file: 'apps/cli/sample/customers.csv', affected: ['cli', 'tools'], unaffected: ['domain'] },
];

/** Runs `command` with Node in the workspace and parses its stdout as JSON. */
const runJson = <T>(args: readonly string[]): Promise<T> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: workspaceRoot,
      env: { ...process.env, NX_DAEMON: 'false' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => {
      if (status === 0) resolve(JSON.parse(stdout) as T);
      else reject(new Error(`node ${args.join(' ')} exited ${status}: ${stderr}`));
    });
  });

let answers: Record<string, string[]> = {};
let cliAnswer: string[] = [];

beforeAll(async () => {
  [answers, cliAnswer] = await Promise.all([
    runJson<Record<string, string[]>>([
      join(__dirname, 'scripts', 'affected-projects.mjs'),
      ...cases.map(({ file }) => file),
    ]),
    runJson<string[]>([
      require.resolve('nx/bin/nx'),
      'show',
      'projects',
      '--affected',
      '--files=README.md',
      '--json',
    ]),
  ]);
});

describe('a change to a file', () => {
  it.each(cases)('$file affects $affected', ({ file, affected, unaffected }) => {
    const projects = answers[file] ?? [];
    expect(projects).toEqual(expect.arrayContaining([...affected]));
    expect(projects.filter((project) => unaffected.includes(project))).toEqual([]);
  });

  it('gets the same answer as `nx show projects --affected --files=README.md`', () => {
    expect([...cliAnswer].sort()).toEqual(answers['README.md']);
  });
});
