import { mergedMessages, ReferentialErrors } from './ReferentialErrors';
import type { ReferentialProblem } from './ReferentialErrors';

const orphan = (file: string, line: number): ReferentialProblem => ({
  code: 'ORPHAN_ITEM',
  file,
  line,
  column: 'order_reference',
  value: `O${line}`,
  reason: 'is not an accepted order of this batch; the item is excluded',
});

const linesOf = (messages: readonly { code: string; file?: string; line?: number }[]) =>
  messages.map((message) => `${message.code} ${message.file} ${message.line ?? '-'}`);

describe('ReferentialErrors', () => {
  it('writes each problem as the sentence of its file, line, column and value', () => {
    const errors = new ReferentialErrors('b1', 10);
    errors.add(orphan('items.csv', 7));
    expect(errors.messages(['items.csv'])).toEqual([
      {
        type: 'error_message',
        message:
          'items.csv line 7: order_reference "O7" is not an accepted order of this batch; the item is excluded',
        code: 'ORPHAN_ITEM',
        batch_id: 'b1',
        file: 'items.csv',
        line: 7,
        column: 'order_reference',
        value: 'O7',
      },
    ]);
  });

  it('orders files as told, then the others as first seen', () => {
    const errors = new ReferentialErrors('b1', 10);
    for (const file of ['z.csv', 'items-2.csv', 'items-1.csv']) errors.add(orphan(file, 2));
    expect(linesOf(errors.messages(['items-1.csv', 'items-2.csv']))).toEqual([
      'ORPHAN_ITEM items-1.csv 2',
      'ORPHAN_ITEM items-2.csv 2',
      'ORPHAN_ITEM z.csv 2',
    ]);
  });

  it('gives, merged over partitions, exactly what one collector of every row gives', () => {
    const lines = Array.from({ length: 300 }, (_, n) => 2 + ((n * 7919) % 1000));
    const whole = new ReferentialErrors('b1', 25);
    const partitions = Array.from({ length: 8 }, () => new ReferentialErrors('b1', 25));
    lines.forEach((line, n) => {
      whole.add(orphan('items.csv', line));
      partitions[n % 8]?.add(orphan('items.csv', line));
    });
    const merged = mergedMessages(
      'b1',
      25,
      partitions.map((partition) => partition.problems()),
      ['items.csv'],
    );
    expect(merged).toEqual(whole.messages(['items.csv']));
    expect(merged).toHaveLength(26);
    expect(merged.at(-1)?.message).toBe(
      'items.csv: 275 more referential errors were not reported, after the first 25',
    );
  });

  it('with a cap of 0 sends only the summary', () => {
    const errors = new ReferentialErrors('b1', 0);
    errors.add(orphan('items.csv', 3));
    expect(linesOf(errors.messages([]))).toEqual(['TOO_MANY_REFERENTIAL_ERRORS items.csv -']);
  });
});
