import type { SQSRecord } from 'aws-lambda';
import type { InvocationResult } from './lambdaHost';
import { failedMessageIds } from './sqsEventSourcePoller';

const records = ['m1', 'm2', 'm3'].map((messageId) => ({ messageId }) as SQSRecord);
const returned = (result: unknown): InvocationResult => ({ success: true, result });

describe('failedMessageIds', () => {
  it.each([
    ['nothing', returned(null)],
    ['an empty object', returned({})],
    ['an empty batchItemFailures', returned({ batchItemFailures: [] })],
    ['a null batchItemFailures', returned({ batchItemFailures: null })],
  ])('fails no message when the handler returns %s', (_, outcome) => {
    expect([...failedMessageIds(outcome, records)]).toEqual([]);
  });

  it('fails the listed messages only', () => {
    expect([
      ...failedMessageIds(returned({ batchItemFailures: [{ itemIdentifier: 'm2' }] }), records),
    ]).toEqual(['m2']);
  });

  it.each([
    [
      'an error',
      {
        success: false,
        error: { errorType: 'Error', errorMessage: 'x', trace: [] },
      } as InvocationResult,
    ],
    ['an unknown itemIdentifier', returned({ batchItemFailures: [{ itemIdentifier: 'nope' }] })],
    ['an empty itemIdentifier', returned({ batchItemFailures: [{ itemIdentifier: '' }] })],
    ['a null itemIdentifier', returned({ batchItemFailures: [{ itemIdentifier: null }] })],
    ['a misspelt key', returned({ batchItemFailures: [{ itemIdentifer: 'm1' }] })],
  ])('fails the whole batch on %s', (_, outcome) => {
    expect([...failedMessageIds(outcome, records)]).toEqual(['m1', 'm2', 'm3']);
  });
});
