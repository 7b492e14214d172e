import { customerMessageBody } from '../generate/expectedOutput';
import type { ExpectedBatch, GeneratedFile } from '../generate/generateBatch';
import type { OutputMessage } from '@tally/local-stack';
import { checkBatchOutput } from './checkBatchOutput';

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
  orphanOrders: 0,
  orphanItems: 0,
  errorCodes: { VALUE_REQUIRED: 1 },
};

const [C1, C2] = EXPECTED.customers.map(customerMessageBody) as [string, string];
const ERROR = '{"type":"error_message","message":"m","code":"VALUE_REQUIRED","batch_id":"b"}';
const message = (id: string, body: string): OutputMessage => ({
  body,
  attributes: { message_id: id, batch_id: 'b' },
});

describe('checkBatchOutput', () => {
  it('accepts exactly the expected messages, compared as text', () => {
    expect(C1).toBe(
      '{"type":"customer_message","customer_reference":"C1","number_of_orders":2,"total_amount_spent":12345679.3}',
    );
    const check = checkBatchOutput(
      EXPECTED,
      [message('1', C1), message('2', C2), message('3', ERROR)],
      1000,
    );
    expect(check).toEqual({
      correct: true,
      rowsLost: 0,
      duplicateIds: 0,
      unexpected: 0,
      problems: [],
    });
  });

  it('counts a redelivery with the same message_id as a duplicate, not a problem', () => {
    const check = checkBatchOutput(
      EXPECTED,
      [
        message('1', C1),
        message('2', C2),
        message('1', C1),
        message('3', ERROR),
        message('3', ERROR),
      ],
      1000,
    );
    expect(check).toMatchObject({ correct: true, duplicateIds: 2, unexpected: 0 });
  });

  it('reports a missing customer and a missing error as rows lost', () => {
    const check = checkBatchOutput(EXPECTED, [message('1', C1)], 1000);
    expect(check).toMatchObject({ correct: false, rowsLost: 2, unexpected: 0 });
    expect(check.problems).toContain(`missing: ${C2}`);
  });

  it('reports a customer with other figures as lost and unexpected, whatever a float would say', () => {
    const rounded = C1.replace('12345679.3', '12345679.300000001');
    const check = checkBatchOutput(
      EXPECTED,
      [message('1', rounded), message('2', C2), message('3', ERROR)],
      1000,
    );
    expect(check).toMatchObject({ correct: false, rowsLost: 1, unexpected: 1 });
  });

  it('reports a customer sent under two message ids as counted twice', () => {
    const check = checkBatchOutput(
      EXPECTED,
      [message('1', C1), message('1b', C1), message('2', C2), message('3', ERROR)],
      1000,
    );
    expect(check).toMatchObject({ correct: false, rowsLost: 0, unexpected: 1 });
    expect(check.problems).toEqual([`counted twice (2 message ids): ${C1}`]);
  });

  it('reports one message_id carrying two bodies, and a message without an id', () => {
    const check = checkBatchOutput(
      EXPECTED,
      [
        message('1', C1),
        message('1', C2),
        { body: C2, attributes: { batch_id: 'b' } },
        message('3', ERROR),
      ],
      1000,
    );
    expect(check).toMatchObject({ correct: false, rowsLost: 1, unexpected: 2 });
  });

  it('counts error messages beyond the expected ones as unexpected', () => {
    const check = checkBatchOutput(
      EXPECTED,
      [
        message('1', C1),
        message('2', C2),
        message('3', ERROR),
        message('4', ERROR.replace('"m"', '"n"')),
      ],
      1000,
    );
    expect(check).toMatchObject({ correct: false, rowsLost: 0, unexpected: 1 });
  });
});
