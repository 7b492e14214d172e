import type { ObservedOperation } from '@tally/local-stack';
import { testEmulatorEndpoints, uniqueStackName } from '@tally/local-stack/testing';
import { recordObservedOperations } from '../infra/observedOperations';
import { runScenario } from './runScenario';
import type { ScenarioResult } from './runScenario';
import { SCENARIOS } from './scenarios';

/**
 * Every fault and race scenario of `npm run reliability`, at the Jest run's small size (1 to 3
 * iterations each), on the real ingest and aggregator bundles: nothing lost, nothing counted
 * twice, and the alarm inputs each scenario must raise.
 */
jest.setTimeout(90_000);

/** What every scenario made each function call, for the last test. */
const awsOperations: ObservedOperation[] = [];

const dlqTotal = (result: ScenarioResult) =>
  Object.values(result.dlqMessages).reduce((sum, count) => sum + count, 0);

describe('npm run reliability, small', () => {
  it.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))(
    '%s: every batch exact, no row lost, no message unexpected',
    async (_name, scenario) => {
      const lines: string[] = [];
      const result = await runScenario({
        scenario,
        seeds: Array.from({ length: scenario.iterations.quick }, (_, index) => index + 1),
        quick: true,
        emulators: testEmulatorEndpoints(),
        stackName: uniqueStackName(),
        log: (line) => lines.push(line),
      });
      awsOperations.push(...result.awsOperations);
      // On failure, the log names the seeds and how to replay them.
      expect({ passed: result.passed, failures: result.failures }).toEqual({
        passed: true,
        failures: [],
      });
      expect(result.batches).toBeGreaterThan(0);
      expect(result.batchesCorrect).toBe(result.batches);
      expect(result.rowsLost).toBe(0);
      expect(result.unexpectedMessages).toBe(0);
      if (scenario.alarms.errors === 'must-fire') expect(result.errors).toBeGreaterThan(0);
      if (scenario.alarms.dlq === 'silent') expect(dlqTotal(result)).toBe(0);
      else expect(result.dlqMessages.ingest).toBeGreaterThan(0);
      if (scenario.name !== 'many-batches') expect(result.faultsInjected).toBeGreaterThan(0);
    },
  );

  // Last: writes reports/iam/reliability-small.json.
  it('calls only AWS operations that infra/iam/observed-operations.json lists', () => {
    expect(recordObservedOperations('reliability-small', awsOperations)).toEqual([]);
  });
});
