import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack } from '@tally/local-stack';
import type { LocalStack } from '@tally/local-stack';
import { testEmulatorEndpoints, uniqueStackName } from '@tally/local-stack/testing';
import { writeLocalStackRecord } from '../local/localStackRecord';
import { SAMPLE_FOLDER } from '../run/runBatchFolder';

/** A local stack on the test emulators that ran the sample batch, and a record that finds it. */
export interface SampleStack {
  readonly stack: LocalStack;
  /** Pass as the environment: `--local` then finds this stack. */
  readonly env: { readonly TALLY_LOCAL_STATE: string };
}

/**
 * Starts the local stack (the built Lambdas, on the emulators of the Jest run, under a unique
 * name), runs the sample batch through it as `batchId` until the pipeline is idle, and records
 * it as `tally local` would.
 *
 * @example
 * ```ts
 * const { stack, env } = await startSampleStack('sample');
 * await runTallyInProcess(['status', 'sample', '--local'], { env });
 * ```
 */
export const startSampleStack = async (batchId: string): Promise<SampleStack> => {
  const stack = await startLocalStack({
    name: uniqueStackName(),
    emulators: testEmulatorEndpoints(),
    build: false,
    quiet: true,
    log: () => undefined,
  });
  await stack.upload(
    batchId,
    readdirSync(SAMPLE_FOLDER).map((name) => ({ name, path: join(SAMPLE_FOLDER, name) })),
  );
  await stack.whenIdle({ timeoutMs: 60_000 });
  const recordPath = join(mkdtempSync(join(tmpdir(), 'tally-cli-')), 'local.json');
  writeLocalStackRecord(recordPath, {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    endpoints: stack.endpoints,
    resources: stack.resources,
  });
  return { stack, env: { TALLY_LOCAL_STATE: recordPath } };
};
