import type {
  MeteredRequest,
  RequestFault,
  EmulatorEndpoints,
  FunctionMetrics,
  LocalStack,
  FunctionKey,
  QueueKey,
} from '@tally/local-stack';
import type { BatchState, ErrorCode } from '@tally/domain';
import type { LocalUploadFile, OutputMessage, PipelineSettings } from '@tally/local-stack';
import type { ExpectedBatch, GenerateBatchOptions } from '../generate/generateBatch';
import type { SeededRandom } from '../generate/seededRandom';

/** One batch an iteration uploads, and the seeded content the generator writes for it. */
export interface BatchPlan {
  readonly batchId: string;
  readonly content: Omit<GenerateBatchOptions, 'outDir'>;
}

/** The faults of one iteration; the stack's hooks call these while it runs. */
export interface IterationFaults {
  /** A request a function makes to AWS, through the meter in front of `service`. */
  readonly request?: (
    service: keyof EmulatorEndpoints,
    request: MeteredRequest,
  ) => RequestFault | undefined;
  /** A shorter timeout for an invocation, killing it part-way through. */
  readonly invocationTimeoutMs?: (functionKey: FunctionKey, event: unknown) => number | undefined;
  /** How an S3 event is delivered: `send()` queues it once. */
  readonly deliverEvent?: (send: () => Promise<void>) => Promise<void>;
}

/** What an iteration observed, for a scenario's own checks. */
export interface IterationObservation {
  /** Function metrics of this iteration alone. */
  readonly functions: Readonly<Record<FunctionKey, FunctionMetrics>>;
  /** Faults injected in this iteration, by name. */
  readonly faults: Readonly<Record<string, number>>;
  /** Requests the functions made in this iteration, by operation. */
  readonly requests: Readonly<Record<string, number>>;
  /** Deliveries of a message id the consumer had already applied. */
  readonly duplicateIds: number;
  /** The output queue's messages, in the order the consumer received them (repeats included). */
  readonly output: readonly OutputMessage[];
  /** Each batch's state once the pipeline was idle: its latest revision, what was aggregated. */
  readonly states: ReadonlyMap<string, BatchState | undefined>;
}

/** What an iteration's script may do after the first uploads, within its fault window. */
export interface IterationRun {
  /** Writes another version of a batch's files into a fresh folder; returns its result. */
  generate(content: Omit<GenerateBatchOptions, 'outDir'>): Promise<ExpectedBatch>;
  /** Uploads files to a batch at once; the batch's last upload time is now. */
  upload(batchId: string, files: readonly LocalUploadFile[]): Promise<void>;
  /** Waits until every queue is empty and nothing runs. */
  whenIdle(): Promise<void>;
  /**
   * What the consumer must end with for the batch: the result of its latest files, and the
   * lifecycle messages (about uploads or older revisions) the batch must have produced, at
   * least this many of each code. Default: the first upload's result.
   */
  expect(
    batchId: string,
    expected: ExpectedBatch,
    lifecycleProblems?: Partial<Record<ErrorCode, number>>,
  ): void;
  /** Moves the functions' clock forward (for staged rows to expire). */
  moveClock(ms: number): void;
}

/** What one iteration does. */
export interface IterationPlan {
  readonly batches: readonly BatchPlan[];
  /**
   * `together`: each batch's three files uploaded at once (batches one after the other, in one
   * go); `interleaved`: every file of every batch at once, in a shuffled order.
   */
  readonly uploads: 'together' | 'interleaved';
  readonly faults?: IterationFaults;
  /** Bodies sent straight to the ingest queue, as if something other than S3 had sent them. */
  readonly poisonMessages?: readonly string[];
  /** Messages this iteration must leave in each DLQ; any other count fails it. Default 0. */
  readonly expectedDlq?: Partial<Record<QueueKey, number>>;
  /** Checks of the scenario's own; each string returned is a failure. */
  readonly check?: (observed: IterationObservation) => readonly string[];
  /**
   * What happens after the first uploads (before waiting for the pipeline to be idle): new
   * versions of files, parts, re-uploads. `first` holds each batch's first result.
   */
  readonly then?: (run: IterationRun, first: ReadonlyMap<string, ExpectedBatch>) => Promise<void>;
}

/** What a scenario's plan may use. */
export interface IterationContext {
  readonly seed: number;
  /** Seeded by `seed`: every random choice of the iteration comes from here. */
  readonly random: SeededRandom;
  readonly stack: LocalStack;
  /** Records one injected fault under `name`. */
  readonly count: (name: string) => void;
  /** The Jest run's small sizes instead of the full ones. */
  readonly quick: boolean;
}

/** A fault or race scenario of `npm run reliability`. */
export interface Scenario {
  readonly name: string;
  /** One sentence, for the report and the docs. */
  readonly summary: string;
  readonly iterations: { readonly full: number; readonly quick: number };
  /**
   * Stack settings: concurrent invocations per function, delay before a failed message returns,
   * and changes to pipeline.json's settings (such as a shorter aggregator timeout).
   */
  readonly stack?: {
    readonly concurrency?: number;
    readonly retryDelayMs?: number;
    readonly settings?: (settings: PipelineSettings) => PipelineSettings;
  };
  /** Report the time from each batch's last upload to its latest summary (overlaps, floods). */
  readonly timesSummaries?: boolean;
  /** Alarm inputs the whole run must show: Errors > 0, messages in a DLQ. */
  readonly alarms: {
    readonly errors: 'must-fire' | 'may-fire';
    readonly dlq: 'must-fire' | 'silent';
  };
  plan(context: IterationContext): IterationPlan;
}
