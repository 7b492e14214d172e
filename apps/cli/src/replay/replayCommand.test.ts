import { parseReplayArguments } from './parseReplayArguments';

describe('parseReplayArguments', () => {
  it('queues a replay of the batch by default, with the SDK finding everything else', () => {
    expect(parseReplayArguments(['--batch', '2024-06-01'])).toEqual({
      success: true,
      data: { batchId: '2024-06-01', mode: 'queue', force: false, source: { kind: 'ambient' } },
    });
  });

  it.each([
    [['--env', 'dev'], { source: { kind: 'env', name: 'dev' } }],
    [['--local', 'endpoints.json'], { source: { kind: 'local', endpoints: 'endpoints.json' } }],
    [['--direct'], { mode: 'direct' }],
    [['--force'], { force: true }],
    [['--table', 't'], { tableName: 't' }],
    [['--aggregation-queue-url', 'https://q/a'], { aggregationQueueUrl: 'https://q/a' }],
    [['--output-queue-url', 'https://q/o'], { outputQueueUrl: 'https://q/o' }],
  ])('reads %j', (extra, expected) => {
    const parsed = parseReplayArguments(['--batch', 'b1', ...extra]);
    expect(parsed).toEqual({ success: true, data: expect.objectContaining(expected) });
  });

  it('keeps a batch id with spaces and any Unicode as given', () => {
    expect(parseReplayArguments(['--batch', 'lot 7 – été'])).toMatchObject({
      success: true,
      data: { batchId: 'lot 7 – été' },
    });
  });

  it('takes inline endpoints JSON as the --local value', () => {
    const endpoints = '{"sqs":"http://127.0.0.1:1","dynamodb":"http://127.0.0.1:2"}';
    expect(parseReplayArguments(['--batch', 'b1', `--local=${endpoints}`])).toMatchObject({
      success: true,
      data: { source: { kind: 'local', endpoints } },
    });
  });

  it('asks for help without needing a batch', () => {
    expect(parseReplayArguments(['--help'])).toEqual({ success: true, help: true });
  });

  it.each([
    [[], '--batch <id> is required'],
    [['--batch', ''], '--batch <id> is required'],
    [
      ['--batch', 'b1', '--env', 'dev', '--local', 'e.json'],
      '--env and --local exclude each other',
    ],
    [
      ['--batch', 'b1', '--env', '../prod'],
      '--env must name a folder of infra/envs, got "../prod"',
    ],
  ])('rejects %j', (argv, error) => {
    expect(parseReplayArguments(argv)).toEqual({ success: false, error });
  });

  it.each([[['--batch', 'b1', '--unknown']], [['--batch']], [['--batch', 'b1', 'extra']]])(
    'rejects what node:util parseArgs refuses: %j',
    (argv) => {
      expect(parseReplayArguments(argv)).toMatchObject({ success: false });
    },
  );
});
