import { boundedValue, quotedValue } from '../errors/boundedValue';
import type { ErrorCode } from '../errors/errorCodes';
import { TallyUsageError } from '../errors/TallyUsageError';
import { errorMessageOf } from '../messages/outputMessages';
import type { ErrorMessage } from '../messages/outputMessageTypes';

/** A row whose reference points nowhere, or repeats an earlier row's. */
export interface ReferentialProblem {
  readonly code: Extract<ErrorCode, 'ORPHAN_ORDER' | 'ORPHAN_ITEM' | 'DUPLICATE_REFERENCE'>;
  /** The file name within the batch folder. */
  readonly file: string;
  readonly line: number;
  readonly column: string;
  readonly value: string;
  /** Ends the sentence `<file> line <n>: <column> "<value>" …`. */
  readonly reason: string;
}

/** What one collector kept of one file: the problems with the lowest lines, and how many. */
export interface FileProblems {
  readonly file: string;
  /** At most the cap, by line. */
  readonly kept: readonly ReferentialProblem[];
  readonly total: number;
}

/**
 * Collects the referential problems of a batch, keeping per file only the `maxPerFile` with the
 * lowest line numbers (and counting the rest), so that which errors are reported does not depend
 * on the order rows are read in: by bucket, by partition, or in one pass. Memory stays at
 * `maxPerFile` problems per file however many there are (an orders file that lost half its
 * orders makes half a million orphan items).
 *
 * @example
 * ```ts
 * const errors = new ReferentialErrors('b1', 1000);
 * errors.add({ code: 'ORPHAN_ITEM', file: 'items.csv', line: 7, column: 'order_reference', value: 'O7', reason: '…' });
 * errors.messages(['items.csv']); // the error_messages, file by file, each by line, then summaries
 * ```
 */
export class ReferentialErrors {
  private readonly batchId: string;
  private readonly maxPerFile: number;
  /** Per file, a max-heap by line of the problems kept, and the count of all. */
  private readonly files = new Map<string, { heap: ReferentialProblem[]; total: number }>();

  public constructor(batchId: string, maxPerFile: number) {
    if (!Number.isSafeInteger(maxPerFile) || maxPerFile < 0) {
      throw new TallyUsageError(`maxErrorsPerFile must be a whole number >= 0, got ${maxPerFile}`);
    }
    this.batchId = batchId;
    this.maxPerFile = maxPerFile;
  }

  /** Adds one problem. Lines must be unique within a file (a row has one such problem). */
  public add(problem: ReferentialProblem): void {
    let entry = this.files.get(problem.file);
    if (entry === undefined) {
      entry = { heap: [], total: 0 };
      this.files.set(problem.file, entry);
    }
    entry.total += 1;
    const { heap } = entry;
    if (heap.length < this.maxPerFile) {
      heap.push(problem);
      siftUp(heap, heap.length - 1);
    } else if (this.maxPerFile > 0 && problem.line < (heap[0]?.line ?? 0)) {
      heap[0] = problem;
      siftDown(heap, 0);
    }
  }

  /** What was kept of each file, for a later {@link mergedMessages}. */
  public problems(): FileProblems[] {
    return [...this.files].map(([file, entry]) => ({
      file,
      kept: [...entry.heap].sort(byLine),
      total: entry.total,
    }));
  }

  /**
   * The `error_message`s: file by file in `fileOrder` (files it does not name last, in the order
   * first seen), each file's kept problems by line, then one `TOO_MANY_REFERENTIAL_ERRORS`
   * summary when the file had more than the cap.
   */
  public messages(fileOrder: readonly string[]): ErrorMessage[] {
    return mergedMessages(this.batchId, this.maxPerFile, [this.problems()], fileOrder);
  }
}

/**
 * The `error_message`s of several collectors' problems (one per partition), as one collector
 * would give them had it seen every row: per file, the `maxPerFile` problems with the lowest
 * lines, then one summary of the rest. See {@link ReferentialErrors.messages} for the order.
 *
 * @example
 * mergedMessages('b1', 1000, partitions.map((partition) => partition.problems()), fileOrder);
 */
export const mergedMessages = (
  batchId: string,
  maxPerFile: number,
  collected: readonly (readonly FileProblems[])[],
  fileOrder: readonly string[],
): ErrorMessage[] => {
  const byFile = new Map<string, { kept: ReferentialProblem[]; total: number }>();
  for (const problems of collected) {
    for (const { file, kept, total } of problems) {
      const entry = byFile.get(file) ?? { kept: [], total: 0 };
      entry.kept.push(...kept);
      entry.total += total;
      byFile.set(file, entry);
    }
  }
  const files = [
    ...fileOrder.filter((file) => byFile.has(file)),
    ...[...byFile.keys()].filter((file) => !fileOrder.includes(file)),
  ];
  const messages: ErrorMessage[] = [];
  for (const file of files) {
    const entry = byFile.get(file);
    if (entry === undefined) continue;
    const kept = entry.kept.sort(byLine).slice(0, maxPerFile);
    for (const problem of kept) messages.push(messageOf(batchId, problem));
    const left = entry.total - kept.length;
    if (left > 0) {
      messages.push(
        errorMessageOf(batchId, {
          code: 'TOO_MANY_REFERENTIAL_ERRORS',
          file,
          message: `${file}: ${left} more referential ${left === 1 ? 'error was' : 'errors were'} not reported, after the first ${maxPerFile}`,
        }),
      );
    }
  }
  return messages;
};

const messageOf = (batchId: string, problem: ReferentialProblem): ErrorMessage =>
  errorMessageOf(batchId, {
    code: problem.code,
    file: problem.file,
    line: problem.line,
    column: problem.column,
    value: boundedValue(problem.value),
    message: `${problem.file} line ${problem.line}: ${problem.column} ${quotedValue(problem.value)} ${problem.reason}`,
  });

const byLine = (a: ReferentialProblem, b: ReferentialProblem): number => a.line - b.line;

/** Max-heap by line: the root is the problem with the highest line kept. */
const siftUp = (heap: ReferentialProblem[], start: number): void => {
  let index = start;
  while (index > 0) {
    const parent = (index - 1) >> 1;
    if ((heap[parent]?.line ?? 0) >= (heap[index]?.line ?? 0)) return;
    swap(heap, parent, index);
    index = parent;
  }
};

const siftDown = (heap: ReferentialProblem[], start: number): void => {
  let index = start;
  for (;;) {
    const left = index * 2 + 1;
    const right = left + 1;
    let largest = index;
    if (left < heap.length && (heap[left]?.line ?? 0) > (heap[largest]?.line ?? 0)) largest = left;
    if (right < heap.length && (heap[right]?.line ?? 0) > (heap[largest]?.line ?? 0))
      largest = right;
    if (largest === index) return;
    swap(heap, index, largest);
    index = largest;
  }
};

const swap = (heap: ReferentialProblem[], a: number, b: number): void => {
  const held = heap[a] as ReferentialProblem;
  heap[a] = heap[b] as ReferentialProblem;
  heap[b] = held;
};
