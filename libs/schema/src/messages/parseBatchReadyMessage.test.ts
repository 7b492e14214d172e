import Ajv from 'ajv';
import type { BatchReadyMessage } from '@tally/domain';
import { batchReadyMessageSchema } from './batchReadyMessageSchema';
import { customerMessageSchema } from './customerMessageSchema';
import { errorMessageSchema } from './errorMessageSchema';
import { parseBatchReadyMessage } from './parseBatchReadyMessage';

const GOOD: BatchReadyMessage = {
  type: 'batch_ready',
  batch_id: 'b1',
  files: {
    customers: { file: 'customers.csv', version: 'etag1-seq1', chunks: 1 },
    orders: { file: 'orders.csv', version: 'etag2-seq2', chunks: 3 },
    items: { file: 'items.csv', version: 'etag3-seq3', chunks: 0 },
  },
};

/** GOOD with one member replaced, as a queue record body. */
function bodyWith(change: (message: Record<string, unknown>) => void): string {
  const message = structuredClone(GOOD) as unknown as Record<string, unknown>;
  change(message);
  return JSON.stringify(message);
}

describe('parseBatchReadyMessage', () => {
  it('parses a batch_ready body', () => {
    expect(parseBatchReadyMessage(JSON.stringify(GOOD))).toEqual({ success: true, data: GOOD });
  });

  it.each([
    ['an empty body', '', 'body is not JSON'],
    ['a truncated body', JSON.stringify(GOOD).slice(0, 40), 'body is not JSON'],
    ['another type', bodyWith((m) => (m['type'] = 'customer_message')), 'message/type'],
    ['an empty batch id', bodyWith((m) => (m['batch_id'] = '')), 'message/batch_id'],
    [
      'a missing kind',
      bodyWith((m) => delete (m['files'] as Record<string, unknown>)['items']),
      'items',
    ],
    [
      'negative chunks',
      bodyWith(
        (m) => ((m['files'] as Record<string, Record<string, unknown>>)['orders']!['chunks'] = -1),
      ),
      'message/files/orders/chunks',
    ],
    [
      'an extra kind',
      bodyWith((m) => ((m['files'] as Record<string, unknown>)['refunds'] = GOOD.files.items)),
      'additional properties',
    ],
    ['an extra property', bodyWith((m) => (m['attempt'] = 2)), 'additional properties'],
    ['JSON that is not an object', '[]', 'must be object'],
  ])('rejects %s', (_, body, mentioned) => {
    const result = parseBatchReadyMessage(body);
    expect(result.success).toBe(false);
    expect(!result.success && result.error.message).toContain(mentioned);
  });
});

describe('message schemas', () => {
  it.each([
    [customerMessageSchema.$id, 'customer-message'],
    [errorMessageSchema.$id, 'error-message'],
    [batchReadyMessageSchema.$id, 'batch-ready-message'],
  ])('%s is versioned', (id, name) => {
    expect(id).toBe(`https://schemas.tally.dev/${name}/v1.json`);
  });

  it.each([customerMessageSchema, errorMessageSchema, batchReadyMessageSchema])(
    '%# is a valid draft-07 schema',
    (schema) => {
      const ajv = new Ajv({ strict: true });
      expect([ajv.validateSchema(schema), ajv.errors]).toEqual([true, null]);
    },
  );

  it.each([customerMessageSchema, errorMessageSchema, batchReadyMessageSchema])(
    'survives a JSON round trip, so it can be published as is',
    (schema) => {
      expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
    },
  );
});
