import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { LOCAL_REGION } from './localAwsClients';

/** Lambda's error shape, as its runtime serialises a thrown error. */
export interface LambdaError {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

export type InvocationResult =
  { success: true; result: unknown } | { success: false; error: LambdaError };

export interface LambdaHostOptions {
  functionName: string;
  /** A CommonJS bundle exporting `handler`, e.g. `dist/ingest/index.js`. */
  bundlePath: string;
  /** The function's whole environment (a Lambda does not inherit its caller's); PATH is added. */
  environment: Record<string, string>;
  timeoutSeconds: number;
  memoryMb: number;
  /**
   * How far the functions' clock (`Date.now`) runs ahead of this process's, read at each
   * invocation: reliability tests move time forward to expire staged rows. Default 0.
   */
  clockOffsetMs?: () => number;
  /** Execution environments that may run at once; further invocations wait. Default 1. */
  concurrency?: number;
  /** Where START/END/REPORT lines go. Default: stderr. */
  log?: (line: string) => void;
  /** What the function itself prints (its logs and metrics): to stderr (default) or nowhere. */
  functionOutput?: 'stderr' | 'ignore';
}

/** How one invocation runs. */
export interface InvokeOptions {
  /**
   * Fault injection for reliability tests: kill the invocation after this many ms, part-way
   * through, as a Lambda timeout or a crash kills it (the environment is discarded, the
   * invocation fails with `Sandbox.Timedout`). The handler is not warned: its context still
   * reports the configured `timeoutSeconds` as its deadline, so the kill lands while it
   * believes it has time (a handler that sees its deadline coming stops on its own, which is
   * not what this simulates). Left out: `timeoutSeconds`.
   */
  killAfterMs?: number;
}

/** One execution environment's process and the most memory it has held. */
export interface ProcessMemory {
  readonly pid: number;
  /** Invocations that ended in it with an outcome reported (not killed). */
  readonly invocations: number;
  /**
   * Its peak resident set size (`VmHWM` on Linux, else `maxRSS`), as it reported after its
   * last completed invocation: Lambda's "Max Memory Used". 0 until an invocation completes.
   */
  readonly peakRssBytes: number;
}

export interface LambdaHostStats {
  coldStarts: number;
  invocations: number;
  running: number;
  /** Every process started so far, in start order, ended ones included. */
  processes: ProcessMemory[];
}

export interface LambdaHost {
  /** Runs the handler on `event` in an idle execution environment, cold-starting one if needed. */
  invoke(event: unknown, options?: InvokeOptions): Promise<InvocationResult>;
  stats(): LambdaHostStats;
  /** Kills every execution environment; invocations still running fail. */
  stop(): Promise<void>;
}

type RuntimeMessage =
  | { type: 'ready' }
  | { type: 'initError'; error: LambdaError }
  | { type: 'result'; requestId: string; result: string; maxRssBytes: number }
  | { type: 'error'; requestId: string | undefined; error: LambdaError; maxRssBytes: number };

interface ExecutionEnvironment {
  child: ChildProcess;
  /** Resolves when the bundle is loaded; holds the init error if loading failed. */
  ready: Promise<LambdaError | undefined>;
  /** Settles the invocation in progress when the process ends. */
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
  alive: boolean;
  busy: boolean;
  memory: { pid: number; invocations: number; peakRssBytes: number };
}

const RUNTIME_PATH = join(__dirname, 'lambdaRuntime.cjs');

const lambdaError = (errorType: string, errorMessage: string): LambdaError => ({
  errorType,
  errorMessage,
  trace: [],
});

/**
 * Runs one function's built bundle the way Lambda does, one forked Node process per execution
 * environment: the bundle is loaded once per process (cold start), invocations reuse warm
 * processes, and an invocation that outlives the function's timeout fails with Lambda's
 * `Task timed out` error and its process is killed, so the next invocation cold-starts. The
 * children's stdout and stderr both go to this process's stderr, keeping stdout free. The heap
 * is capped near the function's memory size (roughly what Lambda's Node runtime does).
 *
 * @example
 * const host = startLambdaHost({ functionName: 'tally-local-ingest', bundlePath, environment, timeoutSeconds: 300, memoryMb: 1024 });
 * const outcome = await host.invoke(sqsEvent);
 * if (!outcome.success) console.error(outcome.error.errorMessage);
 */
export const startLambdaHost = (options: LambdaHostOptions): LambdaHost => {
  const concurrency = options.concurrency ?? 1;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const environments: ExecutionEnvironment[] = [];
  const processes: ExecutionEnvironment['memory'][] = [];
  const waiting: Array<() => void> = [];
  let coldStarts = 0;
  let invocations = 0;
  let running = 0;
  let stopped = false;

  // fd 2 is the parent's stderr: the parent's stdout stays free for its own output.
  const output = options.functionOutput === 'ignore' ? 'ignore' : 2;

  const coldStart = (): ExecutionEnvironment => {
    coldStarts += 1;
    const logStream = `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${randomBytes(16).toString('hex')}`;
    const child = fork(RUNTIME_PATH, [options.bundlePath], {
      env: {
        PATH: process.env.PATH ?? '',
        ...options.environment,
        AWS_LAMBDA_LOG_STREAM_NAME: logStream,
        LAMBDA_TASK_ROOT: dirname(options.bundlePath),
        _HANDLER: 'index.handler',
      },
      // Not the parent's execArgv: a tsx or Jest loader has no business in a Lambda.
      execArgv: [
        '--enable-source-maps',
        `--max-old-space-size=${Math.floor(options.memoryMb * 0.9)}`,
      ],
      stdio: ['ignore', output, output, 'ipc'],
      serialization: 'json',
    });
    const environment: ExecutionEnvironment = {
      child,
      ready: Promise.resolve(undefined),
      alive: true,
      busy: false,
      memory: { pid: child.pid ?? 0, invocations: 0, peakRssBytes: 0 },
    };
    processes.push(environment.memory);
    environment.ready = new Promise((resolve) => {
      const onMessage = (message: RuntimeMessage) => {
        if (message.type === 'ready') resolve(undefined);
        if (message.type === 'initError') resolve(message.error);
        if (message.type === 'ready' || message.type === 'initError')
          child.off('message', onMessage);
      };
      child.on('message', onMessage);
      child.once('exit', (code, signal) =>
        resolve(
          lambdaError(
            'Runtime.ExitError',
            `Runtime exited during init (${signal ?? `exit status ${code}`})`,
          ),
        ),
      );
    });
    child.once('exit', (code, signal) => {
      environment.onExit?.(code, signal);
      discard(environment);
    });
    environments.push(environment);
    return environment;
  };

  /** Takes an environment out of service at once (its process may take a moment to exit). */
  const discard = (environment: ExecutionEnvironment) => {
    environment.alive = false;
    const index = environments.indexOf(environment);
    if (index !== -1) environments.splice(index, 1);
    environment.child.kill('SIGKILL');
  };

  const acquire = async (): Promise<ExecutionEnvironment> => {
    while (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    const environment =
      environments.find((candidate) => candidate.alive && !candidate.busy) ?? coldStart();
    environment.busy = true;
    return environment;
  };

  const release = (environment: ExecutionEnvironment) => {
    environment.busy = false;
    running -= 1;
    waiting.shift()?.();
  };

  const run = (
    environment: ExecutionEnvironment,
    requestId: string,
    event: unknown,
    killAfterMs: number | undefined,
  ): Promise<InvocationResult> =>
    new Promise((resolve) => {
      const { child } = environment;
      const timeoutMs = killAfterMs ?? options.timeoutSeconds * 1000;
      const settle = (result: InvocationResult) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        environment.onExit = undefined;
        resolve(result);
      };
      const recordMemory = (maxRssBytes: number) => {
        environment.memory.invocations += 1;
        environment.memory.peakRssBytes = Math.max(environment.memory.peakRssBytes, maxRssBytes);
      };
      const onMessage = (message: RuntimeMessage) => {
        if (message.type === 'result' && message.requestId === requestId) {
          recordMemory(message.maxRssBytes);
          settle({ success: true, result: JSON.parse(message.result) as unknown });
        } else if (
          message.type === 'error' &&
          (message.requestId === requestId || message.requestId === undefined)
        ) {
          recordMemory(message.maxRssBytes);
          settle({ success: false, error: message.error });
        }
      };
      const timer = setTimeout(() => {
        // Lambda freezes and discards the environment; the next invocation cold-starts.
        settle({
          success: false,
          error: lambdaError(
            'Sandbox.Timedout',
            `RequestId: ${requestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
          ),
        });
        discard(environment);
      }, timeoutMs);
      environment.onExit = (code, signal) =>
        settle({
          success: false,
          error: lambdaError(
            'Runtime.ExitError',
            `RequestId: ${requestId} Error: Runtime exited with error: ${signal ? `signal: ${signal}` : `exit status ${code}`}`,
          ),
        });
      child.on('message', onMessage);
      child.send({
        type: 'invoke',
        requestId,
        event: JSON.stringify(event),
        deadlineMs: Date.now() + options.timeoutSeconds * 1000,
        clockOffsetMs: options.clockOffsetMs?.() ?? 0,
        functionName: options.functionName,
        functionVersion: '$LATEST',
        invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:000000000000:function:${options.functionName}`,
        memoryLimitInMB: String(options.memoryMb),
      });
    });

  const invoke = async (
    event: unknown,
    invokeOptions: InvokeOptions = {},
  ): Promise<InvocationResult> => {
    if (stopped)
      return {
        success: false,
        error: lambdaError('LocalStack.Stopped', `${options.functionName} is stopped`),
      };
    const environment = await acquire();
    const requestId = randomUUID();
    invocations += 1;
    const started = performance.now();
    log(`[${options.functionName}] START RequestId: ${requestId} Version: $LATEST`);
    try {
      const initError = await environment.ready;
      const outcome = initError
        ? { success: false as const, error: initError }
        : await run(environment, requestId, event, invokeOptions.killAfterMs);
      if (initError) discard(environment);
      if (!outcome.success)
        log(`[${options.functionName}] ${outcome.error.errorType}: ${outcome.error.errorMessage}`);
      return outcome;
    } finally {
      const duration = performance.now() - started;
      log(`[${options.functionName}] END RequestId: ${requestId}`);
      const { peakRssBytes } = environment.memory;
      const maxMemoryUsed =
        peakRssBytes > 0 ? ` Max Memory Used: ${Math.round(peakRssBytes / 1_048_576)} MB` : '';
      log(
        `[${options.functionName}] REPORT RequestId: ${requestId} Duration: ${duration.toFixed(2)} ms Memory Size: ${options.memoryMb} MB${maxMemoryUsed}`,
      );
      release(environment);
    }
  };

  return {
    invoke,
    stats: () => ({
      coldStarts,
      invocations,
      running,
      processes: processes.map((memory) => ({ ...memory })),
    }),
    stop: async () => {
      stopped = true;
      await Promise.all(
        environments.map(
          ({ child }) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) resolve();
              else {
                child.once('exit', () => resolve());
                child.kill('SIGKILL');
              }
            }),
        ),
      );
    },
  };
};
