import { parseCommandLine } from '@tally/command-line';
import { replaySpec } from './replayCommand';

const DEFAULTS = {
  batch: 'b1',
  local: undefined,
  env: undefined,
  direct: false,
  force: false,
  table: undefined,
  'aggregation-queue-url': undefined,
  'output-queue-url': undefined,
  json: false,
};

describe('tally replay arguments', () => {
  it('queues a replay of the batch by default, with the SDK finding everything else', () => {
    expect(parseCommandLine(replaySpec, ['--batch', 'b1'])).toEqual({
      kind: 'run',
      options: DEFAULTS,
      args: {},
    });
  });

  it.each([
    [['--env', 'dev'], { env: 'dev' }],
    [['--local'], { local: '' }],
    [['--local', 'endpoints.json'], { local: 'endpoints.json' }],
    [['--local', '{"sqs":"http://127.0.0.1:1"}'], { local: '{"sqs":"http://127.0.0.1:1"}' }],
    [['--local=endpoints'], { local: 'endpoints' }],
    [['--direct'], { direct: true }],
    [['--force'], { force: true }],
    [['--json'], { json: true }],
    [['--table', 't'], { table: 't' }],
    [['--aggregation-queue-url', 'https://q/a'], { 'aggregation-queue-url': 'https://q/a' }],
    [['--output-queue-url', 'https://q/o'], { 'output-queue-url': 'https://q/o' }],
  ])('reads %j', (extra, expected) => {
    expect(parseCommandLine(replaySpec, ['--batch', 'b1', ...extra])).toEqual({
      kind: 'run',
      options: { ...DEFAULTS, ...expected },
      args: {},
    });
  });

  it('keeps a batch id with spaces and any Unicode as given', () => {
    expect(parseCommandLine(replaySpec, ['--batch', 'lot 7 – été'])).toMatchObject({
      kind: 'run',
      options: { batch: 'lot 7 – été' },
    });
  });

  it('asks for help without needing a batch', () => {
    expect(parseCommandLine(replaySpec, ['--help'])).toEqual({ kind: 'help' });
  });

  it.each([
    [[], 'missing --batch <id>'],
    [['--batch', ''], '--batch needs a value: --batch <id>'],
    [['--batch'], '--batch needs a value: --batch <id>'],
    [
      ['--batch', 'b1', '--env', 'dev', '--local', 'e.json'],
      '--local and --env exclude each other',
    ],
    [['--batch', 'b1', '--unknown'], 'unknown option --unknown'],
    [['--batch', 'b1', 'extra'], 'unexpected argument "extra"'],
    [['--batch', 'b1', '--local', 'endpoints'], 'unexpected argument "endpoints"'],
  ])('refuses %j: %s', (argv, message) => {
    expect(parseCommandLine(replaySpec, argv)).toEqual({ kind: 'usage-error', message });
  });
});
