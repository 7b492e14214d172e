import type { LocalStack } from '@tally/local-stack';
import { runTallyInProcess } from '../testing/runTallyInProcess';
import { startSampleStack } from '../testing/startSampleStack';
import { TAIL_EXIT } from './tailCommand';

let stack: LocalStack;
let env: { TALLY_LOCAL_STATE: string };

beforeAll(async () => {
  ({ stack, env } = await startSampleStack('sample'));
}, 90_000);
afterAll(() => stack.stop());

const CUSTOMER_BODIES = [
  '{"type":"customer_message","customer_reference":"C001","number_of_orders":3,"total_amount_spent":5.9}',
  '{"type":"customer_message","customer_reference":"C002","number_of_orders":2,"total_amount_spent":9.79}',
  '{"type":"customer_message","customer_reference":"C003","number_of_orders":0,"total_amount_spent":0}',
];

interface TailLine {
  messageId: string;
  sentAt: string;
  attributes: Record<string, string>;
  body: { type: string };
}

const tail = async (...args: string[]) => {
  const result = await runTallyInProcess(['tail', '--local', ...args], { env });
  const lines = result.stdout.split('\n').filter((line) => line !== '');
  return { ...result, lines, parsed: lines.map((line) => JSON.parse(line) as TailLine) };
};

describe('tally tail --local, on a batch the local stack ran', () => {
  it('prints every output message as one JSON line, body as sent, with its attributes', async () => {
    const { code, lines, parsed, stderr } = await tail();
    expect(code).toBe(TAIL_EXIT.read);
    expect(parsed.map((line) => line.body.type).sort()).toEqual([
      'batch_summary',
      'customer_message',
      'customer_message',
      'customer_message',
    ]);
    const customers = lines.filter((line) => line.includes('"body":{"type":"customer_message"'));
    expect(customers.map((line) => line.slice(line.indexOf('"body":') + 7, -1)).sort()).toEqual(
      CUSTOMER_BODIES,
    );
    for (const line of parsed) {
      expect(line.attributes).toMatchObject({
        batch_id: 'sample',
        batch_revision: '1',
        message_type: line.body.type,
        message_id: expect.stringMatching(/^\S+$/),
      });
      expect(Date.parse(line.sentAt)).toBeGreaterThan(Date.parse('2026-01-01'));
    }
    expect(stderr).toBe(
      `[tail] 4 message(s) printed, 4 read from ${stack.resources.queues.output.url}; all left on the queue\n`,
    );
  });

  it('leaves the messages on the queue, so a second tail sees them again', async () => {
    const first = await tail();
    const second = await tail();
    expect(second.parsed.map((line) => line.messageId).sort()).toEqual(
      first.parsed.map((line) => line.messageId).sort(),
    );
  });

  it('prints only the messages of --batch, and stops after --max', async () => {
    expect((await tail('--batch', 'another batch')).lines).toEqual([]);
    expect((await tail('--max', '2')).lines).toHaveLength(2);
  });

  it('deletes what it printed with --ack, and only that', async () => {
    const acked = await tail('--ack', '--max', '3');
    expect(acked.lines).toHaveLength(3);
    expect(acked.stderr).toMatch(/printed ones deleted\n$/);
    const rest = await tail('--ack');
    expect(rest.lines).toHaveLength(1);
    expect([...acked.parsed, ...rest.parsed].map((line) => line.body.type).sort()).toEqual([
      'batch_summary',
      'customer_message',
      'customer_message',
      'customer_message',
    ]);
    expect((await tail()).lines).toEqual([]);
  });
});
