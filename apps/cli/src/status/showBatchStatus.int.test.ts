import type { LocalStack } from '@tally/local-stack';
import { runTallyInProcess } from '../testing/runTallyInProcess';
import { startSampleStack } from '../testing/startSampleStack';
import { STATUS_EXIT } from './statusCommand';

let stack: LocalStack;
let env: { TALLY_LOCAL_STATE: string };

beforeAll(async () => {
  ({ stack, env } = await startSampleStack('sample é'));
}, 90_000);
afterAll(() => stack.stop());

describe('tally status --local, on a batch the local stack ran', () => {
  it('gives the files, revision, progress, what was aggregated and the DLQs as JSON', async () => {
    const result = await runTallyInProcess(['status', 'sample é', '--local', '--json'], { env });
    expect(result).toMatchObject({ code: STATUS_EXIT.shown, stderr: '' });
    const status = JSON.parse(result.stdout) as Record<string, unknown>;
    const file = (name: string, kind: string, rows: number) => ({
      key: `incoming/sample é/${name}`,
      kind,
      file: name,
      status: 'staged',
      rowsRead: rows,
      rowCount: rows,
      chunks: 1,
      current: true,
      expired: false,
    });
    expect(status).toMatchObject({
      batchId: 'sample é',
      phase: 'aggregated',
      readiness: { status: 'ready' },
      revision: { number: 1 },
      aggregated: { revision: 1, outcome: 'sent', customerMessages: 3, errorMessages: 0 },
      dlqMessages: { ingest: 0, aggregation: 0, output: 0 },
    });
    expect(
      (status['files'] as Record<string, unknown>[]).sort((a, b) =>
        String(a['file']).localeCompare(String(b['file'])),
      ),
    ).toMatchObject([
      file('customers.csv', 'customers', 3),
      file('items.csv', 'items', 10),
      file('orders.csv', 'orders', 5),
    ]);
  });

  it('prints the same as a table', async () => {
    const result = await runTallyInProcess(['status', 'sample é', '--local'], { env });
    expect(result.code).toBe(STATUS_EXIT.shown);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('batch "sample é": aggregated (revision 1)');
    expect(lines[2]).toMatch(/^file +kind +version +rows read +staged +chunks +status$/);
    expect(lines.slice(3, 6).sort()).toEqual([
      expect.stringMatching(/^customers\.csv +customers +\S+ +3 +3 +1 +current$/),
      expect.stringMatching(/^items\.csv +items +\S+ +10 +10 +1 +current$/),
      expect.stringMatching(/^orders\.csv +orders +\S+ +5 +5 +1 +current$/),
    ]);
    expect(lines).toContain('aggregated  revision 1: 3 customer and 0 error message(s) sent');
    expect(lines).toContain('DLQs        ingest 0, aggregation 0, output 0');
  });

  it('says so, with exit code 2, for a batch nothing was staged for', async () => {
    expect(await runTallyInProcess(['status', 'no such batch', '--local'], { env })).toEqual({
      code: STATUS_EXIT.unknown,
      stdout: `batch "no such batch": unknown (nothing staged for it in ${stack.resources.table.name}, or it expired)\nDLQs        ingest 0, aggregation 0, output 0\n`,
      stderr: '',
    });
  });

  it('reads the same batch through explicit endpoints and a table name', async () => {
    const endpoints = JSON.stringify({
      sqs: stack.endpoints.sqs,
      dynamodb: stack.endpoints.dynamodb,
    });
    const result = await runTallyInProcess([
      'status',
      'sample é',
      '--local',
      endpoints,
      '--table',
      stack.resources.table.name,
      '--json',
    ]);
    expect(result.code).toBe(STATUS_EXIT.shown);
    expect(JSON.parse(result.stdout)).toMatchObject({ phase: 'aggregated', dlqMessages: {} });
  });
});
