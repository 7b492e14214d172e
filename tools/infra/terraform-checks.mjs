// The infra project's Nx targets: `lint`, `typecheck` and `test` over infra/.
//
//   node tools/infra/terraform-checks.mjs lint       terraform fmt -check + module README tables
//   node tools/infra/terraform-checks.mjs typecheck  init -backend=false + validate, each env root
//   node tools/infra/terraform-checks.mjs test       terraform test, each module and env root with tests/
//
// Runs offline when a provider mirror is found: TALLY_TF_PROVIDER_MIRROR, the usual plugin
// directories, or a short search of the disk. Otherwise Terraform uses the registry as usual.
// `test` writes reports/test/infra.json ({ numPassedTests, numFailedTests }) for `npm test`.
import { spawn, spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, homedir, tmpdir } from 'node:os';
import { delimiter, join, relative } from 'node:path';
import { envDirs, moduleDirs, syncDocs, syncEnvOutputs, workspaceRoot } from './terraform-docs.mjs';

const MIN_VERSION = [1, 11];
const INSTALL_HELP =
  'Install Terraform >= 1.11 from https://developer.hashicorp.com/terraform/install and put it on PATH.';
const infraDir = join(workspaceRoot, 'infra');
const envsDir = join(infraDir, 'envs');
const reportPath = join(workspaceRoot, 'reports', 'test', 'infra.json');

const fail = (message) => {
  console.error(`infra: ${message}`);
  process.exit(1);
};

/** The `terraform` executable on PATH, or undefined. */
const findTerraform = () => {
  const names = process.platform === 'win32' ? ['terraform.exe'] : ['terraform'];
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not here: try the next PATH entry.
      }
    }
  }
  return undefined;
};

const checkVersion = (terraform) => {
  const result = spawnSync(terraform, ['version', '-json'], {
    encoding: 'utf8',
    env: terraformEnv,
  });
  const version = result.status === 0 ? JSON.parse(result.stdout).terraform_version : undefined;
  const [major, minor] = (version ?? '0.0').split('.').map(Number);
  if (major < MIN_VERSION[0] || (major === MIN_VERSION[0] && minor < MIN_VERSION[1])) {
    fail(`found Terraform ${version ?? '(unknown version)'} at ${terraform}. ${INSTALL_HELP}`);
  }
  return version;
};

/** Whether `dir` is a provider mirror root holding hashicorp/aws. */
const isMirror = (dir) => existsSync(join(dir, 'registry.terraform.io', 'hashicorp', 'aws'));

/** The root of a filesystem mirror of hashicorp/aws, or undefined. */
const findMirror = () => {
  const fromEnv = process.env.TALLY_TF_PROVIDER_MIRROR;
  if (fromEnv) {
    if (!isMirror(fromEnv))
      fail(`TALLY_TF_PROVIDER_MIRROR=${fromEnv} holds no registry.terraform.io/hashicorp/aws.`);
    return fromEnv;
  }
  const dataHome = process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share');
  const usual = [
    join(homedir(), '.terraform.d', 'plugins'),
    join(dataHome, 'terraform', 'plugins'),
    '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins',
  ];
  const found = usual.find(isMirror);
  if (found || process.platform === 'win32') return found;
  // Machine images sometimes keep the mirror elsewhere: look a few levels deep, skipping
  // project folders (a .terraform/providers directory looks like a mirror but is not one).
  const search = spawnSync(
    'find',
    [
      '/',
      '-xdev',
      '-maxdepth',
      '5',
      '(',
      '-name',
      'node_modules',
      '-o',
      '-name',
      '.terraform',
      '-o',
      '-name',
      '.git',
      ')',
      '-prune',
      '-o',
      '-type',
      'd',
      '-name',
      'registry.terraform.io',
      '-print',
      '-prune',
    ],
    { encoding: 'utf8', timeout: 15000 },
  );
  return (search.stdout ?? '')
    .split('\n')
    .filter(Boolean)
    .map((path) => join(path, '..'))
    .find(isMirror);
};

/** Environment for terraform: no prompts, no version checks over the network, the mirror. */
const makeTerraformEnv = () => {
  const env = { ...process.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' };
  if (env.TF_CLI_CONFIG_FILE && !existsSync(env.TF_CLI_CONFIG_FILE)) delete env.TF_CLI_CONFIG_FILE;
  return env;
};
const terraformEnv = makeTerraformEnv();

let configDir;
const useMirror = (mirror) => {
  configDir = mkdtempSync(join(tmpdir(), 'tally-terraform-'));
  const config = join(configDir, 'terraform.rc');
  writeFileSync(
    config,
    `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(mirror)}
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/*/*"]
  }
}
`,
  );
  terraformEnv.TF_CLI_CONFIG_FILE = config;
};
process.on('exit', () => {
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

/** Runs terraform in `cwd`; resolves with the exit code and everything it printed. */
const run = (terraform, args, cwd, { echo }) =>
  new Promise((resolve) => {
    const child = spawn(terraform, [...args], { cwd, env: terraformEnv });
    let output = '';
    const take = (chunk) => {
      output += chunk;
      if (echo) process.stdout.write(chunk);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (error) => resolve({ code: 1, output: `${output}${error.message}\n` }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });

/** Runs `task` over `items`, `limit` at a time, keeping results in order. */
const mapLimit = async (items, limit, task) => {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
};

const subdirs = (dir) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(dir, entry.name))
    .sort();

const init = (terraform, dir, extra = []) =>
  run(terraform, ['init', '-backend=false', '-input=false', '-no-color', ...extra], dir, {
    echo: false,
  });

const lint = async (terraform) => {
  const fmt = await run(
    terraform,
    ['fmt', '-check', '-recursive', '-diff', '-no-color', infraDir],
    workspaceRoot,
    { echo: true },
  );
  if (fmt.code !== 0)
    console.error('infra: files above are not formatted: run `terraform fmt -recursive infra`.');
  const problems = [
    ...syncDocs(moduleDirs(), { check: true }),
    ...syncEnvOutputs(envDirs(), { check: true }),
  ];
  for (const problem of problems) console.error(`infra: ${problem}`);
  return fmt.code === 0 && problems.length === 0;
};

const typecheck = async (terraform) => {
  const results = await mapLimit(subdirs(envsDir), 2, async (dir) => {
    // The committed lock file must already allow the provider: never rewrite it here.
    let result = await init(terraform, dir, ['-lockfile=readonly']);
    if (result.code === 0)
      result = await run(terraform, ['validate', '-no-color'], dir, { echo: false });
    return { dir, ...result };
  });
  for (const { dir, code, output } of results) {
    console.log(`${relative(workspaceRoot, dir)}: ${code === 0 ? 'valid' : 'INVALID'}`);
    if (code !== 0) console.log(output);
  }
  return results.every((r) => r.code === 0);
};

/** Passed and failed runs from `terraform test` output. */
const countRuns = (output) => {
  const summaries = [...output.matchAll(/(\d+) passed, (\d+) failed/g)];
  if (summaries.length > 0) {
    const last = summaries[summaries.length - 1];
    return { passed: Number(last[1]), failed: Number(last[2]) };
  }
  // No summary: terraform stopped before testing (init or configuration error).
  return { passed: 0, failed: 1 };
};

const test = async (terraform) => {
  const roots = [...subdirs(join(infraDir, 'modules')), ...subdirs(envsDir)].filter((dir) =>
    existsSync(join(dir, 'tests')),
  );
  const results = await mapLimit(
    roots,
    Math.max(1, Math.min(2, availableParallelism())),
    async (dir) => {
      const started = Date.now();
      // An env root's committed lock file must already allow the provider, as in typecheck.
      const lockfile = dir.startsWith(envsDir) ? ['-lockfile=readonly'] : [];
      let result = await init(terraform, dir, lockfile);
      if (result.code === 0)
        result = await run(terraform, ['test', '-no-color'], dir, { echo: false });
      return { dir, ...result, seconds: (Date.now() - started) / 1000 };
    },
  );
  let passed = 0;
  let failed = 0;
  for (const { dir, output, seconds, code } of results) {
    const counts = countRuns(output);
    passed += counts.passed;
    // A module whose init or test failed counts as a failure even if its summary says none did.
    failed += code !== 0 && counts.failed === 0 ? 1 : counts.failed;
    console.log(`── ${relative(workspaceRoot, dir)} (${seconds.toFixed(1)} s)`);
    console.log(output.trimEnd());
  }
  mkdirSync(join(reportPath, '..'), { recursive: true });
  writeFileSync(
    reportPath,
    `${JSON.stringify({ numPassedTests: passed, numFailedTests: failed })}\n`,
  );
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0;
};

const checks = { lint, typecheck, test };
const name = process.argv[2];
if (!Object.hasOwn(checks, name))
  fail(`usage: node tools/infra/terraform-checks.mjs <${Object.keys(checks).join('|')}>`);

const terraform = findTerraform();
if (!terraform) fail(`terraform is not on PATH. ${INSTALL_HELP}`);
const version = checkVersion(terraform);
if (name !== 'lint') {
  const mirror = findMirror();
  if (mirror) useMirror(mirror);
  console.log(
    `infra: Terraform ${version}, providers from ${mirror ? `the mirror in ${mirror}` : 'the registry'}`,
  );
}
const ok = await checks[name](terraform);
process.exitCode = ok ? 0 : 1;
