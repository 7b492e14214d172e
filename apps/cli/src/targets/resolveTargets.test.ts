import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalResources } from '@tally/local-stack';
import { writeLocalStackRecord } from '../local/localStackRecord';
import {
  localEndpointsOf,
  missingTargets,
  resolveTargets,
  terraformOutputValues,
} from './resolveTargets';
import type { TargetsIo } from './resolveTargets';

const DEV = 'https://sqs.eu-west-1.amazonaws.com/123456789012/tally-dev';
const terraformJson = JSON.stringify({
  region: { sensitive: false, type: 'string', value: 'eu-west-1' },
  table_name: { sensitive: false, type: 'string', value: 'tally-dev-staging' },
  ingest_queue_url: { sensitive: false, type: 'string', value: `${DEV}-ingest` },
  aggregation_queue_url: { sensitive: false, type: 'string', value: `${DEV}-aggregation` },
  output_queue_url: { sensitive: false, type: 'string', value: `${DEV}-output` },
  dlq_urls: {
    sensitive: false,
    type: ['object', {}],
    value: {
      ingest: `${DEV}-ingest-dlq`,
      aggregation: `${DEV}-aggregation-dlq`,
      output: `${DEV}-output-dlq`,
    },
  },
  function_names: { sensitive: false, type: ['object', {}], value: { ingest: 'tally-dev-ingest' } },
});

const LOCAL = 'http://127.0.0.1:1/000000000000/tally-local';
const queue = (name: string) => ({
  name,
  url: `${LOCAL}-${name}`,
  arn: `arn:aws:sqs:us-east-1:000000000000:tally-local-${name}`,
});
const resources: LocalResources = {
  name: 'tally-local',
  inputPrefix: 'incoming/',
  bucket: { name: 'tally-local-input', arn: 'arn:aws:s3:::tally-local-input' },
  table: { name: 'tally-local-staging', arn: 'arn:aws:dynamodb:us-east-1:0:table/x' },
  queues: {
    ingest: { ...queue('ingest'), dlq: queue('ingest-dlq') },
    aggregation: { ...queue('aggregation'), dlq: queue('aggregation-dlq') },
    output: { ...queue('output'), dlq: queue('output-dlq') },
  },
};
const record = {
  pid: 4242,
  startedAt: '2026-12-01T10:00:00.000Z',
  endpoints: {
    s3: 'http://127.0.0.1:3',
    sqs: 'http://127.0.0.1:1',
    dynamodb: 'http://127.0.0.1:2',
  },
  resources,
};
const LOCAL_CLIENTS = {
  sqs: {
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    endpoint: 'http://127.0.0.1:1',
  },
  dynamodb: {
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    endpoint: 'http://127.0.0.1:2',
  },
};
const LOCAL_TARGETS = {
  tableName: 'tally-local-staging',
  queueUrls: {
    ingest: `${LOCAL}-ingest`,
    aggregation: `${LOCAL}-aggregation`,
    output: `${LOCAL}-output`,
  },
  dlqUrls: {
    ingest: `${LOCAL}-ingest-dlq`,
    aggregation: `${LOCAL}-aggregation-dlq`,
    output: `${LOCAL}-output-dlq`,
  },
  clientOverrides: LOCAL_CLIENTS,
};

const io = (overrides: Partial<TargetsIo> = {}): TargetsIo => ({
  env: {},
  terraformOutputs: () => {
    throw new Error('terraform must not run');
  },
  readFile: () => {
    throw new Error('no file must be read');
  },
  isRunning: () => {
    throw new Error('no process must be looked for');
  },
  ...overrides,
});

describe('terraformOutputValues', () => {
  it('keeps the outputs the commands need, the DLQ map included', () => {
    expect(terraformOutputValues(terraformJson)).toEqual({
      region: 'eu-west-1',
      table_name: 'tally-dev-staging',
      ingest_queue_url: `${DEV}-ingest`,
      aggregation_queue_url: `${DEV}-aggregation`,
      output_queue_url: `${DEV}-output`,
      dlq_urls: {
        ingest: `${DEV}-ingest-dlq`,
        aggregation: `${DEV}-aggregation-dlq`,
        output: `${DEV}-output-dlq`,
      },
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

  it('reads what `tally local --json` printed, resources included', () => {
    expect(localEndpointsOf(JSON.stringify(record), jest.fn())).toEqual({
      sqs: 'http://127.0.0.1:1',
      dynamodb: 'http://127.0.0.1:2',
      resources,
    });
  });

  it('names a missing endpoint', () => {
    expect(() => localEndpointsOf('{"sqs":"http://127.0.0.1:1"}', jest.fn())).toThrow(
      '--local needs "dynamodb": an http(s) URL',
    );
  });
});

describe('resolveTargets', () => {
  it('takes names from the environment, leaving the SDK its own configuration', () => {
    const env = {
      TALLY_TABLE_NAME: 't',
      TALLY_AGGREGATION_QUEUE_URL: 'https://q/a',
      TALLY_OUTPUT_QUEUE_URL: 'https://q/o',
    };
    expect(resolveTargets({ kind: 'ambient' }, {}, io({ env }))).toEqual({
      success: true,
      data: {
        tableName: 't',
        queueUrls: { aggregation: 'https://q/a', output: 'https://q/o' },
        dlqUrls: {},
        clientOverrides: {},
      },
    });
  });

  it("reads an env root's outputs and region, over the environment variables", () => {
    const terraformOutputs = jest.fn(() => terraformJson);
    expect(
      resolveTargets(
        { kind: 'env', name: 'dev' },
        {},
        io({ env: { TALLY_TABLE_NAME: 'local-table' }, terraformOutputs }),
      ),
    ).toEqual({
      success: true,
      data: {
        tableName: 'tally-dev-staging',
        queueUrls: {
          ingest: `${DEV}-ingest`,
          aggregation: `${DEV}-aggregation`,
          output: `${DEV}-output`,
        },
        dlqUrls: {
          ingest: `${DEV}-ingest-dlq`,
          aggregation: `${DEV}-aggregation-dlq`,
          output: `${DEV}-output-dlq`,
        },
        clientOverrides: { sqs: { region: 'eu-west-1' }, dynamodb: { region: 'eu-west-1' } },
      },
    });
    expect(terraformOutputs).toHaveBeenCalledWith('dev');
  });

  it('lets flags win over everything', () => {
    expect(
      resolveTargets(
        { kind: 'env', name: 'dev' },
        { tableName: 'flag-table', aggregationQueueUrl: 'https://q/flag' },
        io({ terraformOutputs: () => terraformJson }),
      ),
    ).toMatchObject({
      success: true,
      data: {
        tableName: 'flag-table',
        queueUrls: { aggregation: 'https://q/flag', output: `${DEV}-output` },
      },
    });
  });

  it('finds the running `tally local` through its record', () => {
    const recordPath = join(mkdtempSync(join(tmpdir(), 'tally-targets-')), 'local.json');
    writeLocalStackRecord(recordPath, record);
    const isRunning = jest.fn(() => true);
    expect(resolveTargets({ kind: 'local-stack', recordPath }, {}, io({ isRunning }))).toEqual({
      success: true,
      data: LOCAL_TARGETS,
    });
    expect(isRunning).toHaveBeenCalledWith(4242);
  });

  it('says how to start a local stack when none runs', () => {
    expect(
      resolveTargets(
        { kind: 'local-stack', recordPath: '/nonexistent/tally-local.json' },
        {},
        io(),
      ),
    ).toEqual({
      success: false,
      error:
        'no local stack is running (no /nonexistent/tally-local.json): start one with `tally local`',
    });
  });

  it('points both clients at local endpoints, with names from a record or from flags', () => {
    expect(resolveTargets({ kind: 'local', endpoints: JSON.stringify(record) }, {}, io())).toEqual({
      success: true,
      data: LOCAL_TARGETS,
    });
    expect(
      resolveTargets(
        {
          kind: 'local',
          endpoints: '{"sqs":"http://127.0.0.1:1","dynamodb":"http://127.0.0.1:2"}',
        },
        { tableName: 'tally-local-staging' },
        io(),
      ),
    ).toEqual({
      success: true,
      data: {
        tableName: 'tally-local-staging',
        queueUrls: {},
        dlqUrls: {},
        clientOverrides: LOCAL_CLIENTS,
      },
    });
  });

  it('explains an env root whose outputs cannot be read', () => {
    const terraformOutputs = () => {
      throw new Error('Backend initialization required');
    };
    expect(resolveTargets({ kind: 'env', name: 'dev' }, {}, io({ terraformOutputs }))).toEqual({
      success: false,
      error:
        'cannot read the outputs of infra/envs/dev (terraform init and apply there first): Backend initialization required',
    });
  });

  it('explains bad local endpoints', () => {
    expect(resolveTargets({ kind: 'local', endpoints: '{"sqs":1}' }, {}, io())).toEqual({
      success: false,
      error: 'bad --local endpoints: --local needs "sqs": an http(s) URL',
    });
  });
});

describe('missingTargets', () => {
  const none = { queueUrls: {}, dlqUrls: {}, clientOverrides: {} };

  it('names every missing setting with its flag and variable', () => {
    expect(missingTargets(none, ['table', 'aggregation'])).toBe(
      'missing --table or TALLY_TABLE_NAME, --aggregation-queue-url or TALLY_AGGREGATION_QUEUE_URL',
    );
    expect(missingTargets({ ...none, tableName: 't' }, ['table', 'output'])).toBe(
      'missing --output-queue-url or TALLY_OUTPUT_QUEUE_URL',
    );
  });

  it('says nothing when all are there', () => {
    expect(missingTargets(LOCAL_TARGETS, ['table', 'aggregation', 'output'])).toBeUndefined();
  });
});
