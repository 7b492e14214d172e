import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessageOf, outboundMessageOf } from '@tally/domain';
import type { BatchSummaryMessage, CustomerMessage, OutboundMessage } from '@tally/domain';

/**
 * The consumer README.md shows under "Consuming the output", run as written: fed the SQS
 * messages two revisions of a batch produce (bodies and ids from the domain's own serialisers),
 * out of order and some twice, it ends holding exactly the newer revision's customers, their
 * bodies unchanged to the byte.
 */
const workspaceRoot = join(__dirname, '..');

/** What a reader of an SQS queue gets, with `MessageAttributeNames: ['All']`. */
interface SqsMessage {
  readonly Body: string;
  readonly MessageAttributes: Record<string, { DataType: string; StringValue: string }>;
}

interface ReadmeConsumer {
  receive(message: SqsMessage): void;
  resultOf(batchId: string): { revision: number; body: string }[];
}

/** The ```js block that follows the heading, up to the next heading. */
const codeUnder = (markdown: string, heading: string): string => {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README.md has no "${heading}" section`);
  const section = markdown.slice(start + heading.length + 2).split(/\n#{1,6} /)[0] ?? '';
  const code = /```js\n([\s\S]*?)\n```/.exec(section)?.[1];
  if (code === undefined) throw new Error(`"${heading}" has no js code block`);
  return code;
};

/** A fresh consumer: the README's code evaluated on its own. */
const readmeConsumer = (): ReadmeConsumer => {
  const code = codeUnder(
    readFileSync(join(workspaceRoot, 'README.md'), 'utf8'),
    '### Consuming the output',
  );
  return new Function(`${code}\nreturn { receive, resultOf };`)() as ReadmeConsumer;
};

/** The message as SqsMessageSink sends it: its body, and its attributes. */
const sqsMessageOf = (message: OutboundMessage): SqsMessage => {
  const text = (value: string) => ({ DataType: 'String', StringValue: value });
  return {
    Body: message.body,
    MessageAttributes: {
      batch_id: text(message.batchId),
      message_type: text(message.type),
      message_id: text(message.id),
      ...(message.revision !== undefined && {
        batch_revision: { DataType: 'Number', StringValue: String(message.revision) },
      }),
      ...(message.objectKey !== undefined && { object_key: text(message.objectKey) }),
      ...(message.objectVersion !== undefined && { object_version: text(message.objectVersion) }),
    },
  };
};

const BATCH = '2024-06-01';

const customer = (
  reference: string,
  orders: number,
  totalAmountSpent: bigint,
): CustomerMessage => ({
  type: 'customer_message',
  customer_reference: reference,
  number_of_orders: orders,
  total_amount_spent: totalAmountSpent,
});

const summary = (revision: number, customers: number, errors: number): BatchSummaryMessage => ({
  type: 'batch_summary',
  batch_id: BATCH,
  revision,
  files: [
    {
      kind: 'items',
      file: 'items.csv',
      object_key: `incoming/${BATCH}/items.csv`,
      object_version: `v${revision}`,
      rows: 5,
    },
  ],
  customer_messages: customers,
  error_messages: errors,
});

/** The SQS message of an aggregation's message of revision `number`. */
const inRevision = (number: number, message: Parameters<typeof outboundMessageOf>[1]) =>
  sqsMessageOf(outboundMessageOf({ batchId: BATCH, revision: number }, message));

// Revision 1: C1, C2, C3. Revision 2 (a corrected items.csv): C1 with other figures, C2 the
// same, C3 gone (an orphan now), C4 new. 21 significant digits: a double would round them.
const C1_V1 = inRevision(1, customer('C1', 2, 123_456_789_012_345_678_901n));
const C2_V1 = inRevision(1, customer('C2', 1, 300_000n));
const C3_V1 = inRevision(1, customer('C3', 1, 1_000_000n));
const SUMMARY_V1 = inRevision(1, summary(1, 3, 0));
const C1_V2 = inRevision(2, customer('C1', 3, 123_456_789_012_346_678_901n));
const C2_V2 = inRevision(2, customer('C2', 1, 300_000n));
const C4_V2 = inRevision(2, customer('C4', 4, 999_999_999_999_999_999_999n));
const ORPHAN_V2 = inRevision(
  2,
  errorMessageOf(BATCH, {
    code: 'ORPHAN_ITEM',
    file: 'items.csv',
    line: 4,
    column: 'order_reference',
    value: 'O3',
    message: 'items.csv line 4: order_reference "O3" is not an accepted order of this batch',
  }),
);
const SUMMARY_V2 = inRevision(2, summary(2, 3, 1));
const ROW_ERROR_V2 = sqsMessageOf(
  outboundMessageOf(
    { batchId: BATCH, objectKey: `incoming/${BATCH}/items.csv`, objectVersion: 'v2' },
    errorMessageOf(BATCH, {
      code: 'VALUE_REQUIRED',
      file: 'items.csv',
      line: 6,
      column: 'price',
      message: 'items.csv line 6: price is required',
    }),
  ),
);

/** Revision 2's result: its customer messages' bodies, exactly as the aggregator wrote them. */
const NEWER = [C1_V2, C2_V2, C4_V2].map((message) => message.Body).sort();

/** Revision 2 overtaking revision 1, every message of both there, some of them twice. */
const DELIVERY = [
  C1_V2,
  C1_V1,
  SUMMARY_V2,
  C2_V1,
  ROW_ERROR_V2,
  C3_V1,
  C2_V2,
  C1_V1,
  ORPHAN_V2,
  SUMMARY_V1,
  C4_V2,
  C2_V2,
  SUMMARY_V2,
  C1_V2,
];

const resultAfter = (messages: readonly SqsMessage[]) => {
  const consumer = readmeConsumer();
  for (const message of messages) consumer.receive(message);
  return consumer.resultOf(BATCH).sort((a, b) => (a.body < b.body ? -1 : a.body > b.body ? 1 : 0));
};

describe("README's consumer (Consuming the output)", () => {
  it('holds exactly the newer revision’s customer bodies after an out-of-order delivery with repeats', () => {
    expect(resultAfter(DELIVERY)).toEqual(NEWER.map((body) => ({ revision: 2, body })));
    expect(NEWER).toContain(
      '{"type":"customer_message","customer_reference":"C1","number_of_orders":3,"total_amount_spent":123456789012346.678901}',
    );
  });

  it('ends with the same result in the order sent and in the reverse order', () => {
    const sent = [
      C1_V1,
      C2_V1,
      C3_V1,
      SUMMARY_V1,
      ROW_ERROR_V2,
      C1_V2,
      C2_V2,
      C4_V2,
      ORPHAN_V2,
      SUMMARY_V2,
    ];
    const expected = NEWER.map((body) => ({ revision: 2, body }));
    expect(resultAfter(sent)).toEqual(expected);
    expect(resultAfter([...sent].reverse())).toEqual(expected);
  });

  it('holds revision 1 whole once its summary arrives, and nothing of a batch it never received', () => {
    const consumer = readmeConsumer();
    for (const message of [C1_V1, C2_V1, C3_V1, SUMMARY_V1]) consumer.receive(message);
    expect(
      consumer
        .resultOf(BATCH)
        .map((kept) => kept.body)
        .sort(),
    ).toEqual([C1_V1, C2_V1, C3_V1].map((message) => message.Body).sort());
    expect(consumer.resultOf('2024-06-02')).toEqual([]);
  });
});
