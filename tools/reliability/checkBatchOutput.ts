import { customerMessageBody, expectedErrorMessageCount } from '../generate/expectedOutput';
import type { ExpectedBatch } from '../generate/generateBatch';
import type { OutputMessage } from '@tally/local-stack';

/** How one batch's output compares with what the generator says it must be. */
export interface BatchOutputCheck {
  /** Every expected message arrived (at least once), and nothing else did. */
  readonly correct: boolean;
  /** Expected messages that never arrived: a customer message with its exact figures, or an error. */
  readonly rowsLost: number;
  /** Extra deliveries of a message id already received with the same body: allowed. */
  readonly duplicateIds: number;
  /** Distinct messages beyond the expected: wrong figures, a customer counted twice, extra errors. */
  readonly unexpected: number;
  /** One line per problem, for the report. */
  readonly problems: readonly string[];
}

const CUSTOMER_PREFIX = '{"type":"customer_message"';
const ERROR_PREFIX = '{"type":"error_message"';

/**
 * Checks the messages one batch produced against its expected result. Delivery is at least
 * once, so messages are first de-duplicated by their `message_id` attribute (a second delivery
 * must carry the same body). Customer messages are compared as text, byte for byte, with the
 * body the aggregator must send, so an amount is never rounded through a float; error messages
 * are counted (their exact content is the hostile-input suite's business).
 *
 * @example
 * const check = checkBatchOutput(expected, messagesOfBatch, 1000);
 * if (!check.correct) console.error(check.problems.join('\n'));
 */
export const checkBatchOutput = (
  expected: ExpectedBatch,
  messages: readonly OutputMessage[],
  maxRowErrors: number,
): BatchOutputCheck => {
  const problems: string[] = [];
  const bodyById = new Map<string, string>();
  let duplicateIds = 0;
  let unexpected = 0;
  for (const message of messages) {
    const id = message.attributes['message_id'];
    if (!id) {
      unexpected += 1;
      problems.push(`message without a message_id attribute: ${message.body.slice(0, 120)}`);
      continue;
    }
    const seen = bodyById.get(id);
    if (seen === undefined) bodyById.set(id, message.body);
    else if (seen === message.body) duplicateIds += 1;
    else {
      unexpected += 1;
      problems.push(`message_id ${id} carries two bodies: ${seen} / ${message.body}`);
    }
  }

  const expectedCustomers = new Set(expected.customers.map(customerMessageBody));
  const customerArrivals = new Map<string, number>();
  let errorMessages = 0;
  for (const body of bodyById.values()) {
    if (body.startsWith(CUSTOMER_PREFIX))
      customerArrivals.set(body, (customerArrivals.get(body) ?? 0) + 1);
    else if (body.startsWith(ERROR_PREFIX)) errorMessages += 1;
    else {
      unexpected += 1;
      problems.push(`message of no known type: ${body.slice(0, 120)}`);
    }
  }

  let rowsLost = 0;
  for (const body of expectedCustomers) {
    if (!customerArrivals.has(body)) {
      rowsLost += 1;
      if (rowsLost <= 5) problems.push(`missing: ${body}`);
    }
  }
  for (const [body, arrivals] of customerArrivals) {
    // Two ids for one body would be one customer counted twice by two aggregations.
    const extra = expectedCustomers.has(body) ? arrivals - 1 : arrivals;
    if (extra > 0) {
      unexpected += extra;
      problems.push(
        expectedCustomers.has(body)
          ? `counted twice (${arrivals} message ids): ${body}`
          : `unexpected: ${body}`,
      );
    }
  }
  const expectedErrors = expectedErrorMessageCount(expected, maxRowErrors);
  if (errorMessages < expectedErrors) {
    rowsLost += expectedErrors - errorMessages;
    problems.push(`${errorMessages} distinct error messages, expected ${expectedErrors}`);
  } else if (errorMessages > expectedErrors) {
    unexpected += errorMessages - expectedErrors;
    problems.push(`${errorMessages} distinct error messages, expected ${expectedErrors}`);
  }
  if (rowsLost > 5) problems.push(`... ${rowsLost} expected messages missing in all`);
  return {
    correct: rowsLost === 0 && unexpected === 0,
    rowsLost,
    duplicateIds,
    unexpected,
    problems,
  };
};
