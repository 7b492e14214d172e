import Ajv from 'ajv';
import type { IngestContinuationMessage } from '@tally/domain';
import { ingestContinuationMessageSchema } from './ingestContinuationMessageSchema';
import { validateIngestContinuationMessage } from './validateIngestContinuationMessage';

const GOOD: IngestContinuationMessage = {
  type: 'ingest_continuation',
  bucket: 'tally-dev-input-1a2b',
  key: 'incoming/lot 7/items.csv',
  size: 734_003_200,
  e_tag: '9b2cf535f27731c974343645a3985328-88',
  sequencer: '0055AED6DCD90281E5',
  segment: 3,
};

describe('validateIngestContinuationMessage', () => {
  it.each([
    ['a continuation of an upload named by its eTag', GOOD],
    ['a continuation of a version', { ...GOOD, version_id: '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY' }],
    [
      'the second segment of a key with non-ASCII characters',
      { ...GOOD, key: 'incoming/é/items.csv', segment: 1 },
    ],
  ])('accepts %s', (_, message) => {
    expect(validateIngestContinuationMessage(message)).toEqual({ success: true, data: message });
  });

  it.each([
    ['another type', { ...GOOD, type: 'batch_ready' }, 'message/type must be equal to constant'],
    ['segment 0 (an S3 event reads it)', { ...GOOD, segment: 0 }, 'message/segment must be >= 1'],
    ['a fractional segment', { ...GOOD, segment: 1.5 }, 'message/segment must be integer'],
    ['a size as text', { ...GOOD, size: '734003200' }, 'message/size must be integer'],
    [
      'an empty eTag',
      { ...GOOD, e_tag: '' },
      'message/e_tag must NOT have fewer than 1 characters',
    ],
    [
      'an empty version id',
      { ...GOOD, version_id: '' },
      'message/version_id must NOT have fewer than 1 characters',
    ],
    [
      'no sequencer',
      { ...GOOD, sequencer: undefined },
      "message must have required property 'sequencer'",
    ],
    ['a camel-case eTag', { ...GOOD, eTag: 'x' }, 'message must NOT have additional properties'],
  ])('rejects %s', (_, message, reason) => {
    expect(validateIngestContinuationMessage(JSON.parse(JSON.stringify(message)))).toEqual({
      success: false,
      error: { message: reason },
    });
  });
});

describe('ingestContinuationMessageSchema', () => {
  it('is ingest-continuation-message/v1, a valid draft-07 schema that survives a JSON round trip', () => {
    const ajv = new Ajv({ strict: true });
    expect(ingestContinuationMessageSchema.$id).toBe(
      'https://schemas.tally.dev/ingest-continuation-message/v1.json',
    );
    expect([ajv.validateSchema(ingestContinuationMessageSchema), ajv.errors]).toEqual([true, null]);
    expect(JSON.parse(JSON.stringify(ingestContinuationMessageSchema))).toEqual(
      ingestContinuationMessageSchema,
    );
  });
});
