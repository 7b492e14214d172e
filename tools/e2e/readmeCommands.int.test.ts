import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Keeps the README true: every command in its `sh` blocks either runs here (the cheap ones
 * this machine can run: `npm start` on the sample, `npx tally validate`) or names something
 * that exists (an npm script, an Nx project and target, a `tally` command and its options, a
 * path). Commands for AWS
 * (`aws`, `terraform`) are checked for the paths they name only. `npm test` is not run here:
 * this test is part of it.
 */
const workspaceRoot = join(__dirname, '..', '..');
const readme = readFileSync(join(workspaceRoot, 'README.md'), 'utf8');
const packageJson = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  bin: Record<string, string>;
};

const projects = new Map<string, string[]>();
for (const root of ['libs', 'apps']) {
  for (const name of readdirSync(join(workspaceRoot, root))) {
    const file = join(workspaceRoot, root, name, 'project.json');
    if (existsSync(file)) {
      const project = JSON.parse(readFileSync(file, 'utf8')) as {
        name: string;
        targets: Record<string, unknown>;
      };
      projects.set(project.name, Object.keys(project.targets));
    }
  }
}
for (const root of ['tools', 'infra']) {
  const project = JSON.parse(readFileSync(join(workspaceRoot, root, 'project.json'), 'utf8')) as {
    name: string;
    targets: Record<string, unknown>;
  };
  projects.set(project.name, Object.keys(project.targets));
}
const allTargets = new Set([...projects.values()].flat());

/** Every command of every ```sh block, continuation lines joined, comments dropped. */
const commands = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
  .flatMap((match) => (match[1] ?? '').replace(/\\\n\s*/g, ' ').split('\n'))
  .map((line) => line.replace(/\s+#.*$/, '').trim())
  .filter((line) => line !== '' && !line.startsWith('#'))
  .flatMap((line) => line.split('&&').map((part) => part.trim()));

const tallyHelps = new Map<string, string | undefined>();

/** `tally <command> --help`, or undefined when there is no such command. */
const tallyHelp = (command: string): string | undefined => {
  if (!tallyHelps.has(command)) {
    const run = spawnSync(
      process.execPath,
      [join(workspaceRoot, packageJson.bin['tally'] ?? ''), command, '--help'],
      {
        encoding: 'utf8',
      },
    );
    tallyHelps.set(command, run.status === 0 ? run.stdout : undefined);
  }
  return tallyHelps.get(command);
};

/** What a command names that must exist; `undefined` when it names nothing we own. */
const problemsOf = (command: string): string[] => {
  const words = command.split(/\s+/);
  const [tool, verb, object] = words;
  if (tool === 'npm') {
    if (verb === 'ci' || verb === 'test' || verb === 'start') {
      return verb === 'ci' || packageJson.scripts[verb] ? [] : [`npm script "${verb}" is missing`];
    }
    if (verb === 'run')
      return object && packageJson.scripts[object] ? [] : [`npm script "${object}" is missing`];
    return [`unknown npm command "${command}"`];
  }
  if (tool === 'npx' && verb === 'nx') {
    const targets = words.includes('-t')
      ? words.slice(words.indexOf('-t') + 1).filter((word) => !word.startsWith('-'))
      : [];
    if (object === 'run-many' || object === 'affected')
      return targets
        .filter((target) => !allTargets.has(target))
        .map((target) => `no project has target "${target}"`);
    if (object === 'run') {
      const [project, target] = (words[3] ?? '').split(':');
      return projects.get(project ?? '')?.includes(target ?? '') ? [] : [`no target ${words[3]}`];
    }
    const project = words[3] ?? '';
    return projects.get(project)?.includes(object ?? '') ? [] : [`no target ${project}:${object}`];
  }
  if (tool === 'npx' && verb === 'tally') {
    if (!packageJson.bin['tally']) return ['no "tally" bin'];
    if (object === undefined || object.startsWith('-')) return [];
    // The command must exist and have every option the README gives it.
    const help = tallyHelp(object);
    if (help === undefined) return [`no command "tally ${object}"`];
    return words
      .filter((word) => word.startsWith('--'))
      .map((word) => word.replace(/=.*$/, ''))
      .filter((option) => !help.includes(`${option} `) && !help.includes(`${option}[`))
      .map((option) => `"tally ${object}" has no option ${option}`);
  }
  if (tool === 'cd')
    return existsSync(join(workspaceRoot, verb ?? '')) ? [] : [`no folder ${verb}`];
  if (tool === 'cp' && verb?.endsWith('.example')) return [];
  // AWS commands can't run here; the Terraform outputs they read must exist.
  const outputs = readFileSync(join(workspaceRoot, 'infra', 'envs', 'dev', 'outputs.tf'), 'utf8');
  return [...command.matchAll(/terraform output -(?:raw|json) (\w+)/g)]
    .map((match) => match[1] ?? '')
    .filter((name) => !outputs.includes(`output "${name}"`))
    .map((name) => `no Terraform output "${name}"`);
};

describe('the README', () => {
  it('shows commands', () => {
    expect(commands.length).toBeGreaterThan(10);
  });

  it.each(commands)('names only things that exist: %s', (command) => {
    expect(problemsOf(command)).toEqual([]);
  });

  // `--silent`, as the README writes it: npm prints its `> tally@… start` banner on stdout.
  it('runs `npm start --silent` on the sample and prints what it says', () => {
    const run = spawnSync('npm', ['start', '--silent', '--', '--no-build'], {
      cwd: workspaceRoot,
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    const shown =
      /```json\n(\{"type":"customer_message","customer_reference":"C001"[\s\S]*?)```/.exec(
        readme,
      )?.[1];
    // The local bucket is unversioned: an object version is the upload's event sequencer and
    // ETag, new on every run. Everything else must be as shown.
    const anyVersion = (output: string | undefined) =>
      output?.replace(/"object_version":"[^"]*"/g, '"object_version":"…"');
    expect(anyVersion(run.stdout)).toBe(anyVersion(shown));
  });

  it('runs `npx tally validate` on the sample: clean, nothing on stdout', () => {
    const run = spawnSync('npx', ['tally', 'validate', 'apps/cli/sample'], {
      cwd: workspaceRoot,
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
  });
});
