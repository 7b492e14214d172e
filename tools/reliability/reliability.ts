// `npm run reliability -- [options]`: Tally's fault and race scenarios on the local stack, each
// for many seeded iterations, every batch checked against the generator's expected result.
// `--help` lists the options and exit codes.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { defineCommand, executeCommandAsProcess, UsageError, writeText } from '@tally/command-line';
import { ensureLambdaBundles, FUNCTION_KEYS } from '@tally/local-stack';
import { recordObservedOperations } from '../infra/observedOperations';
import { formatReliabilityTable } from './reliabilityReport';
import type { ReliabilityReport } from './reliabilityReport';
import { runScenario } from './runScenario';
import type { ScenarioResult } from './runScenario';
import { SCENARIOS } from './scenarios';

const reliabilitySpec = defineCommand({
  name: 'npm run reliability --',
  summary:
    "Runs Tally's fault and race scenarios on the local stack, each for many seeded iterations,\nand checks every batch's output against the generator's expected result.",
  details: [
    'stdout gets the table, then the report as JSON; progress goes to stderr.',
    `scenarios: ${SCENARIOS.map((scenario) => scenario.name).join(', ')}`,
  ].join('\n'),
  positionals: [],
  options: {
    scenario: {
      type: 'string',
      valueName: 'name',
      multiple: true,
      description: 'run this scenario (repeatable; default: all)',
    },
    seed: {
      type: 'number',
      valueName: 'n',
      description: 'one iteration with this seed: what a failure prints to replay it',
    },
    iterations: { type: 'number', valueName: 'n', description: 'iterations per scenario' },
    quick: { type: 'boolean', description: 'the small size that `npm test` runs' },
    json: { type: 'string', valueName: 'file', description: 'also write the report to this file' },
    'function-logs': { type: 'boolean', description: "show the functions' own logs" },
    'no-build': {
      type: 'boolean',
      description: 'run the Lambda bundles in dist/ as they are (default: build them first)',
    },
  },
  exitCodes: [
    [0, 'every scenario passed'],
    [
      1,
      'a scenario failed, or the run did, or a function made an AWS call that\ninfra/iam/observed-operations.json does not list',
    ],
  ],
});

const progress = (line: string) => process.stderr.write(`[reliability] ${line}\n`);

executeCommandAsProcess(reliabilitySpec, async ({ options: values, io }) => {
  const names =
    values.scenario.length > 0 ? values.scenario : SCENARIOS.map((scenario) => scenario.name);
  const unknown = names.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown scenario ${unknown.join(', ')}; one of ${SCENARIOS.map((scenario) => scenario.name).join(', ')}`,
    );
  }
  const { seed, iterations } = values;
  // As `tally run`: always build (cheap when Nx's cache holds it), so today's code is tested.
  ensureLambdaBundles([...FUNCTION_KEYS], values['no-build'] !== true);

  const startedAt = new Date().toISOString();
  const started = performance.now();
  const results: ScenarioResult[] = [];
  for (const scenario of SCENARIOS.filter((candidate) => names.includes(candidate.name))) {
    const count =
      iterations ?? (values.quick ? scenario.iterations.quick : scenario.iterations.full);
    const seeds =
      seed !== undefined ? [seed] : Array.from({ length: count }, (_, index) => index + 1);
    progress(`${scenario.name}: ${seeds.length} iteration(s) — ${scenario.summary}`);
    results.push(
      await runScenario({
        scenario,
        seeds,
        quick: values.quick,
        log: progress,
        functionLogs: values['function-logs'],
      }),
    );
  }
  const report: ReliabilityReport = {
    startedAt,
    quick: values.quick,
    passed: results.every((result) => result.passed),
    wallMs: Math.round(performance.now() - started),
    scenarios: results,
  };
  const json = JSON.stringify(report, null, 2);
  if (values.json !== undefined) await writeFile(resolve(io.cwd, values.json), `${json}\n`);
  await writeText(io.stdout, `${formatReliabilityTable(report)}\n${json}\n`);
  // Writes reports/iam/reliability.json, which `npm run iam:observe -- --no-run` also reads.
  const unlisted = recordObservedOperations(
    'reliability',
    results.flatMap((result) => result.awsOperations),
  );
  for (const line of unlisted) progress(line);
  return report.passed && unlisted.length === 0 ? 0 : 1;
});
