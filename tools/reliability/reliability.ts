// `npm run reliability -- [--scenario <name>]... [--seed <n>] [--iterations <n>] [--quick]
//   [--json <file>] [--function-logs] [--no-build]`
// Runs Tally's fault and race scenarios on the local stack, each for many seeded iterations,
// and checks every batch's output against the generator's expected result. stdout gets the
// table, then the report as JSON (also written to --json <file>); progress goes to stderr.
// `--seed <n>` runs one iteration with that seed: what a failure prints to replay it.
// Exit code: 0 every scenario passed, 1 otherwise.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ensureLambdaBundles, FUNCTION_KEYS } from '@tally/local-stack';
import { formatReliabilityTable } from './reliabilityReport';
import type { ReliabilityReport } from './reliabilityReport';
import { runScenario } from './runScenario';
import type { ScenarioResult } from './runScenario';
import { SCENARIOS } from './scenarios';

const progress = (line: string) => process.stderr.write(`[reliability] ${line}\n`);

const wholeNumber = (name: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new Error(`--${name} must be a whole number`);
  return value;
};

const run = async (): Promise<number> => {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string', multiple: true },
      seed: { type: 'string' },
      iterations: { type: 'string' },
      quick: { type: 'boolean', default: false },
      json: { type: 'string' },
      'function-logs': { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
    },
  });
  const names = values.scenario ?? SCENARIOS.map((scenario) => scenario.name);
  const unknown = names.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `unknown scenario ${unknown.join(', ')}; one of ${SCENARIOS.map((scenario) => scenario.name).join(', ')}`,
    );
  }
  const seed = wholeNumber('seed', values.seed);
  const iterations = wholeNumber('iterations', values.iterations);
  // As `npm start`: always build (cheap when Nx's cache holds it), so today's code is tested.
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
  if (values.json) await writeFile(values.json, `${json}\n`);
  process.stdout.write(`${formatReliabilityTable(report)}\n${json}\n`);
  return report.passed ? 0 : 1;
};

run().then(
  (code) => process.exit(code),
  (error: unknown) => {
    progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
