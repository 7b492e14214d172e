import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { startLocalStack } from '@tally/local-stack';
import type {
  AwsUsage,
  FunctionKey,
  LocalStack,
  ObservedInvocation,
  ProcessMemory,
} from '@tally/local-stack';
import { customerMessageBody } from '../generate/expectedOutput';
import type { GeneratedFile } from '../generate/generateBatch';
import type { ExpectedBatch } from '../generate/generateBatch';
import { invocationPhasesOf } from './invocationPhases';
import type { InvocationPhases } from './invocationPhases';

export interface EndToEndInput {
  readonly batchId: string;
  readonly expected: ExpectedBatch;
  /** Every message the batch must produce: customers plus (capped) errors. */
  readonly expectedMessages: number;
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
  /** Extra environment variables per function, e.g. the aggregator's rows per partition. */
  readonly environment?: Partial<Record<FunctionKey, Record<string, string>>>;
  /** Keep what the functions print off stderr (their START/END/REPORT lines still reach `log`). */
  readonly quiet?: boolean;
  /** Log the messages received so far this often. Default: never. */
  readonly progressEveryMs?: number;
}

/** One function's invocations in a run, and the peak RSS of each of its processes. */
export interface FunctionFigures {
  readonly invocations: number;
  readonly errors: number;
  /** The largest peak RSS of its processes (Lambda's "Max Memory Used"), 0 if it never ran. */
  readonly peakRssBytes: number;
  /**
   * Each process's peak RSS: its `VmHWM` read from /proc where there is one, else what it
   * reported (`maxRSS`, which on Linux starts at the parent's RSS when it was spawned).
   */
  readonly processes: readonly ProcessMemory[];
}

export type EndToEndResult =
  | { readonly status: 'skipped' | 'failed'; readonly reason: string }
  | {
      readonly status: 'measured' | 'timed-out';
      /** From the first upload to the receipt of the last expected output message. */
      readonly wallMs: number;
      readonly rows: number;
      readonly rowsPerSecond: number;
      readonly outputMessages: number;
      readonly expectedMessages: number;
      /** Every expected `customer_message` body arrived, byte for byte, and no other. */
      readonly customerMessagesMatch: boolean;
      /** The largest single process among the bench's descendants: a Lambda environment. */
      readonly peakLambdaRssBytes: number;
      /** This process (the emulators and the drain) and all its descendants together. */
      readonly peakTreeRssBytes: number;
      readonly functions: Readonly<Record<FunctionKey, FunctionFigures>>;
      /** Invocations by what they worked on, with the partitions the aggregation used. */
      readonly invocations: InvocationPhases;
      /** What each function asked of the services (requests, DynamoDB capacity units). */
      readonly usage: Readonly<Record<FunctionKey, AwsUsage>>;
    };

const PAGE_BYTES = 4096;
const SAMPLE_INTERVAL_MS = 250;
const EMPTY_DRAIN_PAUSE_MS = 100;
/** After the last expected message, the longest to wait for the last invocations to end. */
const SETTLE_TIMEOUT_MS = 60_000;

/**
 * A function's figures, each process's peak taken from `highWater` when sampled: a process's
 * own `maxRSS` includes the RSS of the bench's process at the moment it was forked (Linux keeps
 * the larger of the two across `exec`), so a Lambda started while the emulators held 1 GB
 * would report at least 1 GB; `VmHWM` belongs to the process's own memory since `exec`.
 */
const figuresOf = (
  metrics: ReturnType<LocalStack['functionMetrics']>[FunctionKey],
  highWater: ReadonlyMap<number, number>,
): FunctionFigures => {
  const processes = metrics.processes.map((process) => ({
    ...process,
    peakRssBytes: highWater.get(process.pid) ?? process.peakRssBytes,
  }));
  return {
    invocations: metrics.invocations,
    errors: metrics.errors,
    peakRssBytes: Math.max(0, ...processes.map((process) => process.peakRssBytes)),
    processes,
  };
};

/** A process's peak RSS since `exec` (`VmHWM` in /proc/<pid>/status), in bytes. */
const highWaterOf = async (pid: number): Promise<number | undefined> => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kibibytes = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
  return kibibytes === undefined ? undefined : Number(kibibytes) * 1024;
};

/**
 * RSS of `root` and its descendants, from /proc (Linux): the total, the largest child, and each
 * child's peak since `exec`.
 */
const processTreeRss = async (
  root: number,
): Promise<{ total: number; largestChild: number; highWater: Map<number, number> }> => {
  const parentOf = new Map<number, number>();
  const rssOf = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): state, ppid, … rss is the 22nd.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(pid, Number(fields[1]));
      rssOf.set(pid, Number(fields[21]) * PAGE_BYTES);
    } catch {
      // The process ended between readdir and readFile.
    }
  }
  const inTree = (pid: number): boolean => {
    for (let current: number | undefined = pid; current !== undefined && current > 1;) {
      if (current === root) return true;
      current = parentOf.get(current);
    }
    return false;
  };
  let total = 0;
  let largestChild = 0;
  const highWater = new Map<number, number>();
  for (const [pid, rss] of rssOf) {
    if (!inTree(pid)) continue;
    total += rss;
    if (pid === root) continue;
    largestChild = Math.max(largestChild, rss);
    try {
      const peak = await highWaterOf(pid);
      if (peak !== undefined) highWater.set(pid, peak);
    } catch {
      // The process ended since it was listed.
    }
  }
  return { total, largestChild, highWater };
};

/** Samples {@link processTreeRss} until stopped, and once more then; returns the peaks. */
const startRssSampler = () => {
  let peakTotal = 0;
  let peakChild = 0;
  const highWater = new Map<number, number>();
  const sample = async () => {
    const tree = await processTreeRss(process.pid);
    peakTotal = Math.max(peakTotal, tree.total);
    peakChild = Math.max(peakChild, tree.largestChild);
    for (const [pid, peak] of tree.highWater) {
      highWater.set(pid, Math.max(peak, highWater.get(pid) ?? 0));
    }
  };
  let running = true;
  const loop = (async () => {
    while (running) {
      await sample();
      await sleep(SAMPLE_INTERVAL_MS);
    }
  })();
  return async () => {
    running = false;
    await loop;
    await sample();
    return { peakTotal, peakChild, highWater };
  };
};

/**
 * Runs the generated batch through the embedded local stack (`startLocalStack` of
 * `@tally/local-stack`: emulators in this process, each Lambda in child processes): uploads the
 * three files at once, drains the output queue while the pipeline runs, and stops the clock
 * when the last expected message is received.
 */
export const measureEndToEnd = async (
  input: EndToEndInput,
  files: readonly GeneratedFile[],
): Promise<EndToEndResult> => {
  const lambdaLog: string[] = [];
  const invocations: ObservedInvocation[] = [];
  let stack: LocalStack | undefined;
  let stopSampler: ReturnType<typeof startRssSampler> | undefined;
  try {
    stack = await startLocalStack({
      // Always build (Nx makes it ~1 s when nothing changed): a bundle left in dist/ by an
      // earlier commit would measure yesterday's code.
      build: true,
      log: (line) => {
        lambdaLog.push(line);
        if (lambdaLog.length > 50) lambdaLog.shift();
      },
      onInvocation: (invocation) => invocations.push(invocation),
      ...(input.environment && { environment: input.environment }),
      ...(input.quiet && { quiet: true }),
    });
    stopSampler = startRssSampler();
    const started = performance.now();
    await stack.upload(
      input.batchId,
      files.map((file) => ({ name: file.name, path: file.path })),
    );
    input.log('uploaded; draining the output queue');
    const bodies: string[] = [];
    let lastAt = started;
    let reportedAt = started;
    const deadline = started + input.timeoutMs;
    while (bodies.length < input.expectedMessages && performance.now() < deadline) {
      if (
        input.progressEveryMs !== undefined &&
        performance.now() - reportedAt >= input.progressEveryMs
      ) {
        reportedAt = performance.now();
        input.log(
          `${((reportedAt - started) / 1000).toFixed(0)} s: ${bodies.length} / ${input.expectedMessages} messages`,
        );
      }
      const drained = await stack.readOutputMessages();
      if (drained.length === 0) {
        await sleep(EMPTY_DRAIN_PAUSE_MS);
        continue;
      }
      for (const body of drained) bodies.push(body);
      lastAt = performance.now();
    }
    // The last invocations (a batch_summary, progress records) end after the last message.
    await stack.whenIdle({ timeoutMs: SETTLE_TIMEOUT_MS }).catch(() => undefined);
    const { peakTotal, peakChild, highWater } = await stopSampler();
    const metrics = stack.functionMetrics();
    const wallMs = lastAt - started;
    const rows = files.reduce((sum, file) => sum + file.rows, 0);
    const expectedBodies = new Set(input.expected.customers.map(customerMessageBody));
    const customerBodies = bodies.filter((body) => body.startsWith('{"type":"customer_message"'));
    const customerMessagesMatch =
      new Set(customerBodies).size === expectedBodies.size &&
      customerBodies.every((body) => expectedBodies.has(body));
    return {
      status: bodies.length >= input.expectedMessages ? 'measured' : 'timed-out',
      wallMs,
      rows,
      rowsPerSecond: rows / (wallMs / 1000),
      outputMessages: bodies.length,
      expectedMessages: input.expectedMessages,
      customerMessagesMatch,
      peakLambdaRssBytes: peakChild,
      peakTreeRssBytes: peakTotal,
      functions: {
        ingest: figuresOf(metrics.ingest, highWater),
        aggregator: figuresOf(metrics.aggregator, highWater),
      },
      invocations: invocationPhasesOf(invocations),
      usage: stack.functionUsage(),
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { status: 'failed', reason: `${reason}\n${lambdaLog.slice(-5).join('\n')}` };
  } finally {
    await stopSampler?.();
    await stack?.stop();
  }
};
