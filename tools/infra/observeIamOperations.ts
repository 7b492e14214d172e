// `npm run iam:observe -- [options]`: regenerates infra/iam/observed-operations.json from the
// end-to-end and reliability runs on the local stack. `--help` lists the options and exit codes.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineCommand, executeCommandAsProcess, writeText } from '@tally/command-line';
import { ensureLambdaBundles, FUNCTION_KEYS } from '@tally/local-stack';
import { format, resolveConfig } from 'prettier';
import {
  describeOperation,
  OBSERVATION_REPORTS_DIR,
  OBSERVED_OPERATIONS_FILE,
  OBSERVING_RUNS,
  OBSERVING_VARIABLE,
  observedOperationsFileContent,
  readObservationReports,
  readObservedOperationsFile,
} from './observedOperations';
import { observedDocumentedGrants } from './roleGrantsOf';

const workspaceRoot = join(__dirname, '..', '..');

const observeSpec = defineCommand({
  name: 'npm run iam:observe --',
  summary:
    'Runs the end-to-end and reliability tests on the local stack, then writes every AWS operation\neach function performed, and what each IAM role must therefore allow, to\ninfra/iam/observed-operations.json. Commit the file with the change that made it differ.',
  details: [
    `runs: ${Object.values(OBSERVING_RUNS).join(', ')}`,
    'stdout gets the operations added and removed; the runs and progress go to stderr.',
  ].join('\n'),
  positionals: [],
  options: {
    'no-run': {
      type: 'boolean',
      description:
        'write the file from the reports already in reports/iam (left by `npm test`, or\nwith `npm run reliability` also the full reliability run)',
    },
  },
  exitCodes: [
    [0, 'the file is written (changed or not)'],
    [1, 'a run failed or a report is missing: the file is left as it was'],
  ],
});

const progress = (line: string) => process.stderr.write(`[iam:observe] ${line}\n`);

/** Runs the observing test files once, on today's bundles; each writes its report. */
const runObservingTests = () => {
  ensureLambdaBundles([...FUNCTION_KEYS], true);
  rmSync(OBSERVATION_REPORTS_DIR, { recursive: true, force: true });
  const files = Object.values(OBSERVING_RUNS);
  progress(`running ${files.join(', ')}`);
  const jest = spawnSync(
    'npx',
    ['jest', '--config', 'tools/jest.config.cjs', '--runTestsByPath', ...files],
    {
      cwd: workspaceRoot,
      stdio: ['ignore', process.stderr, process.stderr],
      env: { ...process.env, [OBSERVING_VARIABLE]: '1' },
    },
  );
  if (jest.status !== 0) throw new Error(`the runs failed (jest exit ${jest.status ?? 'signal'})`);
};

executeCommandAsProcess(observeSpec, async ({ options, io }) => {
  if (!options['no-run']) runObservingTests();
  const { sources, operations } = readObservationReports();
  const missing = Object.keys(OBSERVING_RUNS).filter((source) => !sources.includes(source));
  if (missing.length > 0) {
    throw new Error(`reports/iam has no report of ${missing.join(', ')}: run without --no-run`);
  }
  const before = new Set(
    existsSync(OBSERVED_OPERATIONS_FILE)
      ? readObservedOperationsFile().operations.map(describeOperation)
      : [],
  );
  const after = new Set(operations.map(describeOperation));
  // Formatted as Prettier formats it, so an editor that formats on save leaves it as it is.
  const json = JSON.stringify(observedOperationsFileContent(operations));
  const prettierOptions = (await resolveConfig(OBSERVED_OPERATIONS_FILE)) ?? {};
  writeFileSync(
    OBSERVED_OPERATIONS_FILE,
    await format(json, { ...prettierOptions, parser: 'json' }),
  );
  progress(
    `${after.size} operations from ${sources.join(', ')} written to infra/iam/observed-operations.json`,
  );
  for (const line of observedDocumentedGrants(operations)) {
    progress(
      `documented but now observed, remove it from tools/infra/documentedGrants.ts: ${line}`,
    );
  }
  const lines = [
    ...[...after].filter((line) => !before.has(line)).map((line) => `+ ${line}`),
    ...[...before].filter((line) => !after.has(line)).map((line) => `- ${line}`),
  ];
  await writeText(io.stdout, lines.length > 0 ? `${lines.join('\n')}\n` : 'no change\n');
  return 0;
});
