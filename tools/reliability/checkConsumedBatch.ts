import type { ErrorCode } from '@tally/domain';
import {
  customerMessageBody,
  expectedReferentialErrorMessages,
  expectedRowErrorMessages,
} from '../generate/expectedOutput';
import type { ExpectedBatch } from '../generate/generateBatch';
import type { ResultConsumer } from './ResultConsumer';

/** How what a consumer ends up holding of a batch compares with its latest files' result. */
export interface ConsumedBatchCheck {
  /** The consumer holds exactly the latest revision's result, whole, and nothing else. */
  readonly correct: boolean;
  /** Expected messages the consumer does not hold: a customer's figures, or errors. */
  readonly rowsLost: number;
  /** Messages it holds that the latest files do not give: wrong figures, extra customers. */
  readonly unexpected: number;
  readonly problems: readonly string[];
}

/** What the batch's latest files must give, beyond what the generator computes. */
export interface ConsumedBatchExpectation {
  /** The batch's latest revision, read from its state. */
  readonly latestRevision: number | undefined;
  readonly maxRowErrors: number;
  /**
   * Error codes the batch's lifecycle must have produced, at least this many times each: its
   * own messages (a second file of a kind, expired files), which no file of the latest revision
   * carries. They count whether ingest sent them about an upload or the aggregator about an
   * older revision (staged rows found expired when it claimed that revision).
   */
  readonly lifecycleProblems?: Partial<Record<ErrorCode, number>>;
}

/** Messages about an upload that concern the batch rather than the upload's rows. */
const LIFECYCLE_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'SECOND_FILE_OF_KIND',
  'FILE_NOT_IN_MANIFEST',
  'FILE_DOES_NOT_MATCH_MANIFEST',
  'MANIFEST_INVALID',
  'STAGED_FILES_EXPIRED',
  'OBJECT_DELETED',
]);

const codeOf = (body: string): string => (JSON.parse(body) as { code: string }).code;

/**
 * Checks what a consumer following the README's rule holds of one batch against the result of
 * the batch's latest files: it must hold the summary of the batch's latest revision; its result
 * (the customers kept at that revision) must be exactly the expected customer messages, byte for
 * byte; the revision must be whole (as many customer and error messages as its summary says);
 * the revision's referential errors, and the row errors of the uploads it used, must number what
 * the generator expects, capped per file. Anything from older revisions that the rule keeps out
 * of the result is fine: that is what the rule is for.
 *
 * @example
 * const check = checkConsumedBatch(expected, consumer, 'b1', { latestRevision: 3, maxRowErrors: 1000 });
 */
export const checkConsumedBatch = (
  expected: ExpectedBatch,
  consumer: ResultConsumer,
  batchId: string,
  expectation: ConsumedBatchExpectation,
): ConsumedBatchCheck => {
  const problems: string[] = [];
  const batch = consumer.batch(batchId);
  const expectedCustomers = new Set(expected.customers.map(customerMessageBody));
  const { summary } = batch;
  if (summary === undefined || summary.revision !== expectation.latestRevision) {
    problems.push(
      `the consumer holds revision ${summary?.revision ?? 'none'}; the batch's latest is ${expectation.latestRevision ?? 'none'}`,
    );
    return {
      correct: false,
      rowsLost: expectedCustomers.size,
      unexpected: 0,
      problems,
    };
  }
  const result = consumer.resultOf(batchId);
  let rowsLost = 0;
  let unexpected = 0;
  const held = new Set(result);
  for (const body of expectedCustomers) {
    if (held.has(body)) continue;
    rowsLost += 1;
    if (rowsLost <= 5) problems.push(`missing: ${body}`);
  }
  for (const body of held) {
    if (expectedCustomers.has(body)) continue;
    unexpected += 1;
    if (unexpected <= 5) problems.push(`unexpected: ${body}`);
  }
  if (result.length !== summary.customer_messages)
    problems.push(
      `revision ${summary.revision}: ${result.length} customer messages held, its summary says ${summary.customer_messages}`,
    );

  const referential = batch.errorsByRevision.get(summary.revision)?.size ?? 0;
  if (referential !== summary.error_messages)
    problems.push(
      `revision ${summary.revision}: ${referential} error messages held, its summary says ${summary.error_messages}`,
    );
  const expectedReferential = expectedReferentialErrorMessages(expected, expectation.maxRowErrors);
  if (referential !== expectedReferential) {
    problems.push(`${referential} referential error messages, expected ${expectedReferential}`);
    if (referential < expectedReferential) rowsLost += expectedReferential - referential;
    else unexpected += referential - expectedReferential;
  }
  const rowErrors = summary.files.reduce(
    (sum, file) =>
      sum +
      [...(batch.errorsByUpload.get(`${file.object_key}\0${file.object_version}`) ?? [])].filter(
        (body) => !LIFECYCLE_CODES.has(codeOf(body)),
      ).length,
    0,
  );
  const expectedRows = expectedRowErrorMessages(expected, expectation.maxRowErrors);
  if (rowErrors !== expectedRows) {
    problems.push(
      `${rowErrors} row error messages about the revision's files, expected ${expectedRows}`,
    );
    if (rowErrors < expectedRows) rowsLost += expectedRows - rowErrors;
    else unexpected += rowErrors - expectedRows;
  }
  const errorBodies = [
    ...batch.errorsByUpload.values(),
    ...batch.errorsByRevision.values(),
  ].flatMap((bodies) => [...bodies]);
  for (const [code, atLeast] of Object.entries(expectation.lifecycleProblems ?? {})) {
    const count = errorBodies.filter((body) => codeOf(body) === code).length;
    if (count < (atLeast ?? 0))
      problems.push(
        `${count} ${code} message(s) about the batch's uploads and revisions, expected at least ${atLeast}`,
      );
  }
  return { correct: problems.length === 0, rowsLost, unexpected, problems };
};
