import Ajv from 'ajv';
import type { BatchReadyMessage } from '@tally/domain';
import { batchManifestSchema } from '../manifest/batchManifestSchema';
import { batchReadyMessageSchema } from './batchReadyMessageSchema';
import { batchSummaryMessageSchema } from './batchSummaryMessageSchema';
import { customerMessageSchema } from './customerMessageSchema';
import { errorMessageSchema } from './errorMessageSchema';
import { parseBatchReadyMessage } from './parseBatchReadyMessage';

const GOOD: BatchReadyMessage = { type: 'batch_ready', batch_id: 'b1', revision: 2 };

/** GOOD with members replaced or added, as a queue record body. */
const bodyWith = (change: Record<string, unknown>): string =>
  JSON.stringify({ ...GOOD, ...change });

describe('parseBatchReadyMessage', () => {
  it.each([
    ['a request for a revision', GOOD],
    ['a continuation, with its lease owner', { ...GOOD, lease_owner: 'f7c1e2-message-id' }],
    ['revision 1 of a batch id of any characters', { ...GOOD, batch_id: 'b é/&', revision: 1 }],
    [
      'a task of a partitioned aggregation',
      { ...GOOD, task: { phase: 'customers', partition: 7, partitions: 8 } },
    ],
  ])('parses %s', (_, message) => {
    expect(parseBatchReadyMessage(JSON.stringify(message))).toEqual({
      success: true,
      data: message,
    });
  });

  it.each([
    ['an empty body', '', 'body is not JSON: Unexpected end of JSON input'],
    ['JSON that is not an object', '[]', 'message must be object'],
    [
      'another type',
      bodyWith({ type: 'customer_message' }),
      'message/type must be equal to constant',
    ],
    [
      'an empty batch id',
      bodyWith({ batch_id: '' }),
      'message/batch_id must NOT have fewer than 1 characters',
    ],
    [
      'no revision',
      JSON.stringify({ type: 'batch_ready', batch_id: 'b1' }),
      "message must have required property 'revision'",
    ],
    ['revision 0', bodyWith({ revision: 0 }), 'message/revision must be >= 1'],
    ['a fractional revision', bodyWith({ revision: 1.5 }), 'message/revision must be integer'],
    ['a revision as text', bodyWith({ revision: '2' }), 'message/revision must be integer'],
    [
      'an empty lease owner',
      bodyWith({ lease_owner: '' }),
      'message/lease_owner must NOT have fewer than 1 characters',
    ],
    [
      'a lease owner that is not text',
      bodyWith({ lease_owner: 7 }),
      'message/lease_owner must be string',
    ],
    [
      'a task of an unknown phase',
      bodyWith({ task: { phase: 'items', partition: 0, partitions: 2 } }),
      'message/task/phase must be equal to one of the allowed values',
    ],
    [
      'a task whose partition count is not a power of two',
      bodyWith({ task: { phase: 'orders', partition: 0, partitions: 3 } }),
      'message/task/partitions must be equal to one of the allowed values',
    ],
    [
      'the files of a v1 message',
      bodyWith({ files: { items: { file: 'items.csv', version: 'v1', chunks: 1 } } }),
      'message must NOT have additional properties',
    ],
  ])('rejects %s', (_, body, message) => {
    expect(parseBatchReadyMessage(body)).toEqual({ success: false, error: { message } });
  });
});

const SCHEMAS = [
  ['customer-message/v1', customerMessageSchema],
  ['error-message/v1', errorMessageSchema],
  ['batch-ready-message/v3', batchReadyMessageSchema],
  ['batch-summary-message/v1', batchSummaryMessageSchema],
  ['batch-manifest/v1', batchManifestSchema],
] as const;

describe('published schemas', () => {
  it.each(SCHEMAS)('%s is the $id of its schema', (version, schema) => {
    expect(schema.$id).toBe(`https://schemas.tally.dev/${version}.json`);
  });

  it.each(SCHEMAS)('%s is a valid draft-07 schema', (_, schema) => {
    const ajv = new Ajv({ strict: true });
    expect([ajv.validateSchema(schema), ajv.errors]).toEqual([true, null]);
  });

  it.each(SCHEMAS)('%s survives a JSON round trip, so it can be published as is', (_, schema) => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});
