import type { ObservedOperation } from '@tally/local-stack';
import type { DocumentedGrant } from './documentedGrants';
import { iamActionsOf } from './iamActionsOf';
import { observedDocumentedGrants, roleGrantsOf } from './roleGrantsOf';

const observed = (
  fn: ObservedOperation['function'],
  service: ObservedOperation['service'],
  operation: string,
  resource: string,
): ObservedOperation => ({ function: fn, service, operation, resource });

const GRANTS: readonly DocumentedGrant[] = [
  {
    functions: ['ingest', 'aggregator'],
    actions: ['sqs:ReceiveMessage'],
    resource: (fn) => (fn === 'ingest' ? 'queue:ingest' : 'queue:aggregation'),
    when: 'always',
    why: 'the event source mapping',
  },
  {
    functions: ['aggregator'],
    actions: ['sqs:SendMessage'],
    resource: () => 'queue:aggregation',
    when: 'always',
    why: 'a continuation',
  },
  {
    functions: ['ingest'],
    actions: ['xray:PutTraceSegments'],
    resource: () => '*',
    when: 'activeTracing',
    why: 'traces',
  },
];

describe('iamActionsOf', () => {
  it.each([
    ['sqs', 'SendMessage', ['sqs:SendMessage']],
    ['sqs', 'SendMessageBatch', ['sqs:SendMessage']],
    ['s3', 'GetObject', ['s3:GetObject']],
    ['s3', 'GetObject+VersionId', ['s3:GetObjectVersion']],
    ['dynamodb', 'BatchWriteItem', ['dynamodb:BatchWriteItem']],
    ['dynamodb', 'Query', ['dynamodb:Query']],
  ] as const)('needs for %s %s: %j', (service, operation, actions) => {
    expect(iamActionsOf({ service, operation })).toEqual(actions);
  });

  it('names an operation it has no action for, and where to add one', () => {
    expect(() => iamActionsOf({ service: 'dynamodb', operation: 'Scan' })).toThrow(
      'no IAM action is known for dynamodb Scan: add it to IAM_ACTIONS_BY_OPERATION in tools/infra/iamActionsOf.ts',
    );
  });
});

describe('roleGrantsOf', () => {
  it("gives each role its function's calls as actions on their resources, with the documented grants by option", () => {
    const grants = roleGrantsOf(
      [
        observed('ingest', 's3', 'GetObject+VersionId', 'bucket:input/incoming/*'),
        observed('ingest', 'sqs', 'SendMessageBatch', 'queue:output'),
        observed('ingest', 'sqs', 'SendMessage', 'queue:output'),
        observed('aggregator', 'dynamodb', 'Query', 'table:staging'),
      ],
      GRANTS,
    );
    expect(grants).toEqual({
      ingest: {
        always: [
          's3:GetObjectVersion on bucket:input/incoming/*',
          'sqs:ReceiveMessage on queue:ingest',
          'sqs:SendMessage on queue:output',
        ],
        activeTracing: ['xray:PutTraceSegments on *'],
        kmsKey: [],
      },
      aggregator: {
        always: [
          'dynamodb:Query on table:staging',
          'sqs:ReceiveMessage on queue:aggregation',
          'sqs:SendMessage on queue:aggregation',
        ],
        activeTracing: [],
        kmsKey: [],
      },
    });
  });

  it('fails for a call with no known IAM action', () => {
    expect(() => roleGrantsOf([observed('ingest', 's3', 'PutObject', 'bucket:input')])).toThrow(
      'no IAM action is known for s3 PutObject',
    );
  });
});

describe('observedDocumentedGrants', () => {
  it('names the documented grants that a run now observes', () => {
    expect(
      observedDocumentedGrants(
        [
          observed('aggregator', 'sqs', 'SendMessage', 'queue:aggregation'),
          observed('ingest', 'sqs', 'SendMessage', 'queue:aggregation'),
        ],
        GRANTS,
      ),
    ).toEqual(['aggregator: sqs:SendMessage on queue:aggregation']);
  });
});
