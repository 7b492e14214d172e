import type { ReplayArguments } from './parseReplayArguments';
import {
  localEndpointsOf,
  resolveReplayTargets,
  terraformOutputValues,
} from './resolveReplayTargets';
import type { ReplayTargetsIo } from './resolveReplayTargets';

const terraformJson = JSON.stringify({
  region: { sensitive: false, type: 'string', value: 'eu-west-1' },
  table_name: { sensitive: false, type: 'string', value: 'tally-dev-staging' },
  aggregation_queue_url: {
    sensitive: false,
    type: 'string',
    value: 'https://sqs.eu-west-1.amazonaws.com/123456789012/tally-dev-aggregation',
  },
  output_queue_url: {
    sensitive: false,
    type: 'string',
    value: 'https://sqs.eu-west-1.amazonaws.com/123456789012/tally-dev-output',
  },
  function_names: { sensitive: false, type: ['object', {}], value: { ingest: 'tally-dev-ingest' } },
});

const io = (overrides: Partial<ReplayTargetsIo> = {}): ReplayTargetsIo => ({
  env: {},
  terraformOutputs: () => {
    throw new Error('terraform must not run');
  },
  readFile: () => {
    throw new Error('no file must be read');
  },
  ...overrides,
});

const args = (overrides: Partial<ReplayArguments> = {}): ReplayArguments => ({
  batchId: 'b1',
  mode: 'queue',
  force: false,
  source: { kind: 'ambient' },
  ...overrides,
});

describe('terraformOutputValues', () => {
  it('keeps the string outputs a replay needs', () => {
    expect(terraformOutputValues(terraformJson)).toEqual({
      region: 'eu-west-1',
      table_name: 'tally-dev-staging',
      aggregation_queue_url:
        'https://sqs.eu-west-1.amazonaws.com/123456789012/tally-dev-aggregation',
      output_queue_url: 'https://sqs.eu-west-1.amazonaws.com/123456789012/tally-dev-output',
    });
  });

  it('gives nothing for a root without state', () => {
    expect(terraformOutputValues('{}')).toEqual({});
  });
});

describe('localEndpointsOf', () => {
  it('reads inline JSON and ignores other endpoints', () => {
    expect(
      localEndpointsOf(
        '{"s3":"http://127.0.0.1:3","sqs":"http://127.0.0.1:1","dynamodb":"http://127.0.0.1:2"}',
        () => {
          throw new Error('inline JSON is not a path');
        },
      ),
    ).toEqual({ sqs: 'http://127.0.0.1:1', dynamodb: 'http://127.0.0.1:2' });
  });

  it('reads a file otherwise', () => {
    const read = jest.fn(() => '{"sqs":"http://127.0.0.1:1","dynamodb":"http://127.0.0.1:2"}');
    expect(localEndpointsOf('tmp/endpoints.json', read)).toEqual({
      sqs: 'http://127.0.0.1:1',
      dynamodb: 'http://127.0.0.1:2',
    });
    expect(read).toHaveBeenCalledWith('tmp/endpoints.json');
  });

  it('names a missing endpoint', () => {
    expect(() => localEndpointsOf('{"sqs":"http://127.0.0.1:1"}', jest.fn())).toThrow(
      '--local needs "dynamodb": an http(s) URL',
    );
  });
});

describe('resolveReplayTargets', () => {
  it('takes the table and aggregation queue from the environment, leaving the SDK its own configuration', () => {
    const env = { TALLY_TABLE_NAME: 't', TALLY_AGGREGATION_QUEUE_URL: 'https://q/a' };
    expect(resolveReplayTargets(args(), io({ env }))).toEqual({
      success: true,
      data: { tableName: 't', queueUrl: 'https://q/a', clientOverrides: {} },
    });
  });

  it('uses the output queue in direct mode', () => {
    const env = { TALLY_TABLE_NAME: 't', TALLY_OUTPUT_QUEUE_URL: 'https://q/o' };
    expect(resolveReplayTargets(args({ mode: 'direct' }), io({ env }))).toMatchObject({
      success: true,
      data: { queueUrl: 'https://q/o' },
    });
  });

  it("reads an env root's outputs and region, over the environment variables", () => {
    const terraformOutputs = jest.fn(() => terraformJson);
    const resolved = resolveReplayTargets(
      args({ source: { kind: 'env', name: 'dev' } }),
      io({ env: { TALLY_TABLE_NAME: 'local-table' }, terraformOutputs }),
    );
    expect(resolved).toEqual({
      success: true,
      data: {
        tableName: 'tally-dev-staging',
        queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/tally-dev-aggregation',
        clientOverrides: { sqs: { region: 'eu-west-1' }, dynamodb: { region: 'eu-west-1' } },
      },
    });
    expect(terraformOutputs).toHaveBeenCalledWith('dev');
  });

  it('lets flags win over everything', () => {
    const resolved = resolveReplayTargets(
      args({
        source: { kind: 'env', name: 'dev' },
        tableName: 'flag-table',
        aggregationQueueUrl: 'https://q/flag',
      }),
      io({ terraformOutputs: () => terraformJson }),
    );
    expect(resolved).toMatchObject({
      success: true,
      data: { tableName: 'flag-table', queueUrl: 'https://q/flag' },
    });
  });

  it('points both clients at the local stack with its region and dummy credentials', () => {
    const resolved = resolveReplayTargets(
      args({
        source: {
          kind: 'local',
          endpoints: '{"sqs":"http://127.0.0.1:1","dynamodb":"http://127.0.0.1:2"}',
        },
        tableName: 'tally-local-staging',
        aggregationQueueUrl: 'http://127.0.0.1:1/000000000000/tally-local-aggregation',
      }),
      io(),
    );
    const common = {
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    };
    expect(resolved).toMatchObject({
      success: true,
      data: {
        clientOverrides: {
          sqs: { ...common, endpoint: 'http://127.0.0.1:1' },
          dynamodb: { ...common, endpoint: 'http://127.0.0.1:2' },
        },
      },
    });
  });

  it('names every missing setting with its flag and variable', () => {
    expect(resolveReplayTargets(args(), io())).toEqual({
      success: false,
      error:
        'missing --table or TALLY_TABLE_NAME, --aggregation-queue-url or TALLY_AGGREGATION_QUEUE_URL',
    });
    expect(resolveReplayTargets(args({ mode: 'direct', tableName: 't' }), io())).toEqual({
      success: false,
      error: 'missing --output-queue-url or TALLY_OUTPUT_QUEUE_URL',
    });
  });

  it('explains an env root whose outputs cannot be read', () => {
    const resolved = resolveReplayTargets(
      args({ source: { kind: 'env', name: 'dev' } }),
      io({
        terraformOutputs: () => {
          throw new Error('Backend initialization required');
        },
      }),
    );
    expect(resolved).toEqual({
      success: false,
      error:
        'cannot read the outputs of infra/envs/dev (terraform init and apply there first): Backend initialization required',
    });
  });

  it('explains bad local endpoints', () => {
    expect(
      resolveReplayTargets(args({ source: { kind: 'local', endpoints: '{"sqs":1}' } }), io()),
    ).toEqual({
      success: false,
      error: 'bad --local endpoints: --local needs "sqs": an http(s) URL',
    });
  });
});
