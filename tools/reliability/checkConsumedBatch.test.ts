import type { OutputMessage } from '@tally/local-stack';
import { customerMessageBody } from '../generate/expectedOutput';
import type { ExpectedBatch, GeneratedFile } from '../generate/generateBatch';
import { checkConsumedBatch } from './checkConsumedBatch';
import { ResultConsumer } from './ResultConsumer';

const file = (name: string): GeneratedFile => ({ name, path: name, bytes: 0, rows: 0 });

const EXPECTED: ExpectedBatch = {
  seed: 1,
  errorRate: 0,
  files: { customers: file('customers.csv'), orders: file('orders.csv'), items: file('items.csv') },
  customers: [
    { customerReference: 'C1', numberOfOrders: 2, totalAmountSpent: 12_345_679_300_000n },
    { customerReference: 'C2', numberOfOrders: 0, totalAmountSpent: 0n },
  ],
  rejectedRows: { customers: 1, orders: 0, items: 0 },
  orphanOrders: 1,
  orphanItems: 0,
  duplicateReferences: { customers: 0, orders: 0 },
  errorCodes: { VALUE_REQUIRED: 1, ORPHAN_ORDER: 1 },
};

const [C1, C2] = EXPECTED.customers.map(customerMessageBody) as [string, string];
const C1_BEFORE =
  '{"type":"customer_message","customer_reference":"C1","number_of_orders":1,"total_amount_spent":1}';
const C3_BEFORE =
  '{"type":"customer_message","customer_reference":"C3","number_of_orders":0,"total_amount_spent":0}';
const ROW_ERROR = '{"type":"error_message","message":"r","code":"VALUE_REQUIRED","batch_id":"b"}';
const ORPHAN = '{"type":"error_message","message":"o","code":"ORPHAN_ORDER","batch_id":"b"}';
const SECOND_FILE =
  '{"type":"error_message","message":"s","code":"SECOND_FILE_OF_KIND","batch_id":"b"}';
const EXPIRED =
  '{"type":"error_message","message":"e","code":"STAGED_FILES_EXPIRED","batch_id":"b"}';

const summary = (revision: number, customers: number, errors: number, customersVersion = 'c2') =>
  JSON.stringify({
    type: 'batch_summary',
    batch_id: 'b',
    revision,
    files: [
      {
        kind: 'customers',
        file: 'customers.csv',
        object_key: 'k/customers.csv',
        object_version: customersVersion,
        rows: 2,
      },
    ],
    customer_messages: customers,
    error_messages: errors,
  });

let ids = 0;
const aggregated = (
  revision: number,
  body: string,
  type: string,
  id = `a${(ids += 1)}`,
): OutputMessage => ({
  body,
  attributes: {
    message_id: id,
    batch_id: 'b',
    batch_revision: String(revision),
    message_type: type,
  },
  sentAt: 0,
});
const ingested = (version: string, body: string, id = `i${(ids += 1)}`): OutputMessage => ({
  body,
  attributes: {
    message_id: id,
    batch_id: 'b',
    message_type: 'error_message',
    object_key: 'k/customers.csv',
    object_version: version,
  },
  sentAt: 0,
});

/** Revision 1 had C1 (other figures) and C3; revision 2 is the expected result. */
const REVISIONS: OutputMessage[] = [
  aggregated(1, C1_BEFORE, 'customer_message'),
  aggregated(1, C3_BEFORE, 'customer_message'),
  aggregated(1, summary(1, 2, 0, 'c1'), 'batch_summary'),
  ingested('c2', ROW_ERROR),
  aggregated(2, C1, 'customer_message'),
  aggregated(2, C2, 'customer_message'),
  aggregated(2, ORPHAN, 'error_message'),
  aggregated(2, summary(2, 2, 1), 'batch_summary'),
];

const consumed = (messages: readonly OutputMessage[]) => {
  const consumer = new ResultConsumer();
  for (const message of messages) consumer.receive(message);
  return consumer;
};

const check = (messages: readonly OutputMessage[], latestRevision = 2) =>
  checkConsumedBatch(EXPECTED, consumed(messages), 'b', { latestRevision, maxRowErrors: 1000 });

describe('ResultConsumer', () => {
  it('keeps each customer at its highest revision and reads the result at the newest summary', () => {
    expect(consumed(REVISIONS).resultOf('b').sort()).toEqual([C1, C2]);
  });

  it('ends with the same result whatever the order the messages arrive in', () => {
    const reversed = consumed([...REVISIONS].reverse());
    expect(reversed.resultOf('b').sort()).toEqual([C1, C2]);
  });

  it('counts a redelivered message once, and reports one id with two bodies', () => {
    const consumer = consumed([
      aggregated(2, C1, 'customer_message', 'x'),
      aggregated(2, C1, 'customer_message', 'x'),
      aggregated(2, C2, 'customer_message', 'x'),
    ]);
    expect(consumer.duplicates).toBe(1);
    expect(consumer.anomalies).toEqual([`message_id x carries two bodies: ${C1} / ${C2}`]);
  });
});

describe('checkConsumedBatch', () => {
  it('accepts a consumer holding exactly the latest revision, whole', () => {
    expect(check(REVISIONS)).toEqual({ correct: true, rowsLost: 0, unexpected: 0, problems: [] });
  });

  it('fails a consumer that holds an older revision than the batch’s latest', () => {
    expect(check(REVISIONS.slice(0, 4))).toMatchObject({
      correct: false,
      rowsLost: 2,
      problems: ["the consumer holds revision 1; the batch's latest is 2"],
    });
  });

  it('fails a revision that is not whole, naming what is missing', () => {
    const withoutC2 = REVISIONS.filter((message) => message.body !== C2);
    expect(check(withoutC2)).toMatchObject({
      correct: false,
      rowsLost: 1,
      problems: [`missing: ${C2}`, 'revision 2: 1 customer messages held, its summary says 2'],
    });
  });

  it('counts wrong figures as unexpected', () => {
    const wrong = C2.replace('"total_amount_spent":0', '"total_amount_spent":0.01');
    const messages = REVISIONS.map((message) =>
      message.body === C2 ? { ...message, body: wrong } : message,
    );
    expect(check(messages)).toMatchObject({ correct: false, rowsLost: 1, unexpected: 1 });
  });

  it('counts only the row errors of the uploads the revision used', () => {
    expect(check([...REVISIONS, ingested('c1', ROW_ERROR.replace('"r"', '"older"'))]).correct).toBe(
      true,
    );
    expect(
      check([...REVISIONS, ingested('c2', ROW_ERROR.replace('"r"', '"extra"'))]),
    ).toMatchObject({
      correct: false,
      unexpected: 1,
      problems: ["2 row error messages about the revision's files, expected 1"],
    });
  });

  it('requires the lifecycle messages a scenario expects', () => {
    const consumer = consumed([...REVISIONS, ingested('c9', SECOND_FILE)]);
    const expectation = { latestRevision: 2, maxRowErrors: 1000 };
    expect(
      checkConsumedBatch(EXPECTED, consumer, 'b', {
        ...expectation,
        lifecycleProblems: { SECOND_FILE_OF_KIND: 1 },
      }).correct,
    ).toBe(true);
    expect(
      checkConsumedBatch(EXPECTED, consumer, 'b', {
        ...expectation,
        lifecycleProblems: { STAGED_FILES_EXPIRED: 1 },
      }).problems,
    ).toEqual([
      "0 STAGED_FILES_EXPIRED message(s) about the batch's uploads and revisions, expected at least 1",
    ]);
  });

  it('counts an expiry the aggregator reported about an older revision', () => {
    // Revision 2 found its rows expired: one error of its own, no summary; revision 3 is whole.
    const renumbered = REVISIONS.map((message) =>
      message.attributes['batch_revision'] === '2'
        ? {
            ...message,
            body: message.body.replace('"revision":2', '"revision":3'),
            attributes: { ...message.attributes, batch_revision: '3' },
          }
        : message,
    );
    const consumer = consumed([...renumbered, aggregated(2, EXPIRED, 'error_message')]);
    expect(
      checkConsumedBatch(EXPECTED, consumer, 'b', {
        latestRevision: 3,
        maxRowErrors: 1000,
        lifecycleProblems: { STAGED_FILES_EXPIRED: 1 },
      }),
    ).toEqual({ correct: true, rowsLost: 0, unexpected: 0, problems: [] });
  });
});
