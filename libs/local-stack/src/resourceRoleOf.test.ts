import type { AwsService } from './awsCallsOf';
import type { LocalResources } from './createResources';
import { pipelineSettings } from './pipelineSettings';
import { resourceRoleOf } from './resourceRoleOf';

const queue = (name: string) => ({
  name,
  url: `http://127.0.0.1:1/000000000000/${name}`,
  arn: `arn:aws:sqs:us-east-1:000000000000:${name}`,
  dlq: {
    name: `${name}-dlq`,
    url: `http://127.0.0.1:1/000000000000/${name}-dlq`,
    arn: `arn:aws:sqs:us-east-1:000000000000:${name}-dlq`,
  },
});

const resources: LocalResources = {
  name: 'tally-t1',
  inputPrefix: 'incoming/',
  bucket: { name: 'tally-t1-input', arn: 'arn:aws:s3:::tally-t1-input' },
  table: {
    name: 'tally-t1-staging',
    arn: 'arn:aws:dynamodb:us-east-1:000000000000:table/tally-t1-staging',
  },
  queues: {
    ingest: queue('tally-t1-ingest'),
    aggregation: queue('tally-t1-aggregation'),
    output: queue('tally-t1-output'),
  },
};

const roleOf = resourceRoleOf(resources, pipelineSettings);

describe('resourceRoleOf', () => {
  it.each([
    ['s3', 'tally-t1-input', 'bucket:input'],
    ['s3', 'tally-t1-input/incoming/b 1/customers.csv', 'bucket:input/incoming/*'],
    ['s3', 'tally-t1-input/elsewhere/a.csv', 'bucket:input/elsewhere/a.csv'],
    ['s3', 'another-bucket/incoming/a.csv', 'bucket:another-bucket/incoming/a.csv'],
    ['sqs', 'tally-t1-ingest', 'queue:ingest'],
    ['sqs', 'tally-t1-aggregation', 'queue:aggregation'],
    ['sqs', 'tally-t1-output', 'queue:output'],
    ['sqs', 'tally-t1-output-dlq', 'queue:output-dlq'],
    ['sqs', 'tally-t2-output', 'queue:tally-t2-output'],
    ['dynamodb', 'tally-t1-staging', 'table:staging'],
    ['dynamodb', 'tally-t1-staging/index/by-date', 'table:staging/index/by-date'],
    ['dynamodb', 'tally-t2-staging', 'table:tally-t2-staging'],
  ] as const)('names %s %s by its role: %s', (service: AwsService, resource, role) => {
    expect(roleOf({ service, operation: 'Any', resource })).toBe(role);
  });
});
