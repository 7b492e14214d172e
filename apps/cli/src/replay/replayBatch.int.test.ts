import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoStagingStore, createAwsClients } from '@tally/aws-clients';
import { ingestFile } from '@tally/domain';
import {
  InMemoryObjectSource,
  RecordingAggregationRequests,
  RecordingMessageSink,
} from '@tally/domain/testing';
import { createBatchManifestValidator, createRowValidators } from '@tally/schema';
import {
  createLocalAwsClients,
  createLocalResources,
  destroyLocalAwsClients,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
} from '@tally/local-stack';
import type { LocalAwsClients, LocalResources } from '@tally/local-stack';
import { testEmulatorEndpoints, uniqueStackName } from '@tally/local-stack/testing';
import { runTallyBin } from '../testing/runTallyBin';

interface CliRun {
  readonly code: number;
  readonly outcome: { status?: string; revision?: number };
}

/** Runs `tally replay --json` through the real bin, against the emulators. */
const replay = async (...args: string[]): Promise<CliRun> => {
  const endpoints = testEmulatorEndpoints();
  const run = await runTallyBin([
    'replay',
    '--local',
    JSON.stringify({ sqs: endpoints.sqs, dynamodb: endpoints.dynamodb }),
    '--table',
    resources.table.name,
    '--aggregation-queue-url',
    resources.queues.aggregation.url,
    '--output-queue-url',
    resources.queues.output.url,
    '--json',
    ...args,
  ]);
  return { code: run.code, outcome: run.stdout ? JSON.parse(run.stdout) : {} };
};

const receiveBodies = async (queueUrl: string): Promise<string[]> => {
  const bodies: string[] = [];
  for (;;) {
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
      }),
    );
    if (Messages.length === 0) return bodies;
    bodies.push(...Messages.map((message) => message.Body ?? ''));
  }
};

let clients: LocalAwsClients;
let resources: LocalResources;

beforeAll(async () => {
  const endpoints = testEmulatorEndpoints();
  clients = createLocalAwsClients(endpoints);
  resources = await createLocalResources(clients, uniqueStackName());
  const common = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const adapterClients = createAwsClients({
    clientOverrides: { dynamodb: { ...common, endpoint: endpoints.dynamodb } },
  });
  const store = new DynamoStagingStore({
    client: adapterClients.dynamodb,
    tableName: resources.table.name,
  });
  const source = new InMemoryObjectSource();
  const requests = new RecordingAggregationRequests();
  const dependencies = {
    source,
    store,
    sink: new RecordingMessageSink(),
    aggregation: requests,
    validators: createRowValidators(),
    manifestValidator: createBatchManifestValidator(),
  };
  const settings = {
    inputPrefix: 'incoming/',
    maxObjectBytes: 1_000_000,
    maxLineBytes: 65_536,
    maxRowErrors: 100,
    stagedRowsTtlMs: 86_400_000,
  };
  const files = {
    customers: 'customer_reference,first_name,last_name,status\nC1,Ada,L,active\n',
    orders:
      'order_reference,customer_reference,order_status,order_timestamp\nO1,C1,new,1700000000\n',
    items: 'order_reference,item_name,quantity,total_price\nO1,pen,2,0.10\nO1,ink,1,0.20\n',
  };
  for (const [kind, body] of Object.entries(files)) {
    await ingestFile(source.put(`incoming/lot 7/${kind}.csv`, body), dependencies, settings);
  }
  adapterClients.dynamodb.destroy();
}, 30_000);

afterAll(() => destroyLocalAwsClients(clients));

describe('tally replay', () => {
  it('aggregates a staged batch in-process with --direct', async () => {
    expect(await replay('--batch', 'lot 7', '--direct')).toEqual({
      code: 0,
      outcome: {
        batch_id: 'lot 7',
        status: 'aggregated',
        revision: 1,
        customerMessages: 1,
        errorMessages: 0,
      },
    });
    const bodies = await receiveBodies(resources.queues.output.url);
    expect(bodies[0]).toBe(
      '{"type":"customer_message","customer_reference":"C1","number_of_orders":1,"total_amount_spent":0.3}',
    );
    expect(JSON.parse(bodies[1] ?? '{}')).toMatchObject({ type: 'batch_summary', revision: 1 });
  }, 30_000);

  it('refuses to replay it again without --force', async () => {
    expect(await replay('--batch', 'lot 7')).toMatchObject({
      code: 1,
      outcome: { status: 'already-aggregated' },
    });
    expect(await receiveBodies(resources.queues.aggregation.url)).toEqual([]);
  }, 30_000);

  it('with --force queues a new revision of the same files for the deployed aggregator', async () => {
    expect(await replay('--batch', 'lot 7', '--force')).toMatchObject({
      code: 0,
      outcome: { status: 'requested', revision: 2 },
    });
    expect(
      (await receiveBodies(resources.queues.aggregation.url)).map((body) => JSON.parse(body)),
    ).toEqual([{ type: 'batch_ready', batch_id: 'lot 7', revision: 2 }]);
  }, 30_000);

  it('exits with 2 for a batch nothing was staged for', async () => {
    expect(await replay('--batch', 'no such batch')).toMatchObject({
      code: 2,
      outcome: { status: 'unknown-batch' },
    });
  }, 30_000);
});
