import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLambdaHost } from './lambdaHost';
import type { LambdaHost } from './lambdaHost';

const SCRIPTED_HANDLER = join(__dirname, 'testing', 'scriptedHandler.cjs');
const directory = mkdtempSync(join(tmpdir(), 'tally-lambda-host-'));
const eventsFile = join(directory, 'events.jsonl');
const hosts: LambdaHost[] = [];

const start = (
  overrides: {
    bundlePath?: string;
    timeoutSeconds?: number;
    clockOffsetMs?: () => number;
    concurrency?: number;
  } = {},
) => {
  const host = startLambdaHost({
    functionName: 'tally-test-fn',
    bundlePath: overrides.bundlePath ?? SCRIPTED_HANDLER,
    environment: { SCRIPTED_HANDLER_LOG: eventsFile, AWS_REGION: 'us-east-1' },
    timeoutSeconds: overrides.timeoutSeconds ?? 5,
    memoryMb: 256,
    log: () => undefined,
    ...(overrides.clockOffsetMs && { clockOffsetMs: overrides.clockOffsetMs }),
    ...(overrides.concurrency !== undefined && { concurrency: overrides.concurrency }),
  });
  hosts.push(host);
  return host;
};
const invocationsLogged = () =>
  readFileSync(eventsFile, 'utf8')
    .trim()
    .split('\n')
    .map(
      (line) =>
        JSON.parse(line) as {
          pid: number;
          functionName: string;
          awsRequestId: string;
          remainingMs: number;
          memoryLimitInMB: string;
          now: number;
        },
    );
const recordWithBody = (body: unknown) => ({
  Records: [{ messageId: 'm1', body: JSON.stringify(body) }],
});

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.stop()));
  rmSync(eventsFile, { force: true });
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('startLambdaHost', () => {
  it('returns the handler result and gives it a Lambda context, reusing the warm process', async () => {
    const host = start();
    expect(await host.invoke(recordWithBody({ fail: true }))).toEqual({
      success: true,
      result: { batchItemFailures: [{ itemIdentifier: 'm1' }] },
    });
    expect(await host.invoke(recordWithBody({}))).toEqual({
      success: true,
      result: { batchItemFailures: [] },
    });
    const [first, second] = invocationsLogged();
    expect(first).toMatchObject({ functionName: 'tally-test-fn', memoryLimitInMB: '256' });
    expect(first?.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first?.remainingMs).toBeGreaterThan(4000);
    expect(first?.remainingMs).toBeLessThanOrEqual(5000);
    expect(second?.pid).toBe(first?.pid);
    expect(second?.awsRequestId).not.toBe(first?.awsRequestId);
    expect(host.stats()).toEqual({
      coldStarts: 1,
      invocations: 2,
      running: 0,
      processes: [{ pid: first?.pid, invocations: 2, peakRssBytes: expect.any(Number) }],
    });
  });

  it('records the peak RSS each process reports after an invocation, as Lambda’s REPORT line does', async () => {
    const lines: string[] = [];
    const host = startLambdaHost({
      functionName: 'tally-test-fn',
      bundlePath: SCRIPTED_HANDLER,
      environment: { SCRIPTED_HANDLER_LOG: eventsFile, AWS_REGION: 'us-east-1' },
      timeoutSeconds: 5,
      memoryMb: 256,
      log: (line) => lines.push(line),
    });
    hosts.push(host);
    await host.invoke(recordWithBody({}));
    const small = host.stats().processes[0]?.peakRssBytes ?? 0;
    // A Node process holds tens of MiB before any work. Its resident set may have shrunk below
    // that first peak since (garbage collected), so 128 MiB more raises the peak by less than
    // 128 MiB, but by more than 64 MiB.
    expect(small).toBeGreaterThan(20 * 1_048_576);
    expect(small).toBeLessThan(256 * 1_048_576);
    await host.invoke(recordWithBody({ allocateMiB: 128 }));
    const [environment] = host.stats().processes;
    expect(environment?.invocations).toBe(2);
    expect(environment?.peakRssBytes).toBeGreaterThan(small + 64 * 1_048_576);
    expect(lines.filter((line) => line.includes(' REPORT '))[1]).toMatch(
      new RegExp(
        ` Memory Size: 256 MB Max Memory Used: ${Math.round((environment?.peakRssBytes ?? 0) / 1_048_576)} MB$`,
      ),
    );
  });

  it('runs invocations side by side, each in its own process, up to its concurrency', async () => {
    const host = start({ concurrency: 2 });
    const both = Promise.all([
      host.invoke(recordWithBody({ sleepMs: 300 })),
      host.invoke(recordWithBody({ sleepMs: 300 })),
    ]);
    expect(host.stats().running).toBe(2);
    await both;
    const [first, second] = invocationsLogged();
    expect(second?.pid).not.toBe(first?.pid);
    expect(host.stats().processes.map((memory) => memory.invocations)).toEqual([1, 1]);
  });

  it('runs the function’s clock ahead as told at each invocation, keeping its deadline real', async () => {
    let offsetMs = 8 * 86_400_000;
    const host = start({ clockOffsetMs: () => offsetMs });
    const before = Date.now();
    await host.invoke(recordWithBody({}));
    offsetMs = 0;
    await host.invoke(recordWithBody({}));
    const [moved, back] = invocationsLogged().slice(-2);
    expect(moved?.now).toBeGreaterThanOrEqual(before + 8 * 86_400_000);
    expect(moved?.now).toBeLessThan(Date.now() + 8 * 86_400_000);
    expect(moved?.remainingMs).toBeGreaterThan(4_000);
    expect(back?.now).toBeLessThanOrEqual(Date.now());
  });

  it('reports a thrown error in Lambda’s shape', async () => {
    const outcome = await start().invoke(recordWithBody({ throw: 'bad batch' }));
    expect(outcome).toEqual({
      success: false,
      error: {
        errorType: 'Error',
        errorMessage: 'bad batch',
        trace: expect.arrayContaining(['Error: bad batch']),
      },
    });
  });

  it('fails an invocation that outlives the timeout, then cold-starts a new process', async () => {
    const host = start({ timeoutSeconds: 1 });
    const timedOut = await host.invoke(recordWithBody({ sleepMs: 5000 }));
    expect(timedOut).toEqual({
      success: false,
      error: {
        errorType: 'Sandbox.Timedout',
        errorMessage: expect.stringMatching(/Task timed out after 1\.00 seconds$/),
        trace: [],
      },
    });
    expect(await host.invoke(recordWithBody({}))).toEqual({
      success: true,
      result: { batchItemFailures: [] },
    });
    const [first, second] = invocationsLogged();
    expect(second?.pid).not.toBe(first?.pid);
    expect(() => process.kill(first?.pid ?? 0, 0)).toThrow();
    expect(host.stats()).toMatchObject({ coldStarts: 2, invocations: 2 });
  });

  it('kills an invocation after killAfterMs while its context still shows the full timeout', async () => {
    const host = start({ timeoutSeconds: 5 });
    expect(await host.invoke(recordWithBody({ sleepMs: 3000 }), { killAfterMs: 300 })).toEqual({
      success: false,
      error: {
        errorType: 'Sandbox.Timedout',
        errorMessage: expect.stringMatching(/Task timed out after 0\.30 seconds$/),
        trace: [],
      },
    });
    const [killed] = invocationsLogged();
    expect(killed?.remainingMs).toBeGreaterThan(4000);
    expect(host.stats()).toMatchObject({ invocations: 1, running: 0 });
  });

  it('fails an invocation when the bundle cannot load, and tries again on the next one', async () => {
    const brokenBundle = join(directory, 'broken.cjs');
    writeFileSync(brokenBundle, 'throw new Error("TALLY_TABLE_NAME is not set");');
    const host = start({ bundlePath: brokenBundle });
    const outcome = await host.invoke({});
    expect(outcome).toMatchObject({
      success: false,
      error: { errorType: 'Error', errorMessage: 'TALLY_TABLE_NAME is not set' },
    });
    await host.invoke({});
    expect(host.stats().coldStarts).toBe(2);
  });
});
