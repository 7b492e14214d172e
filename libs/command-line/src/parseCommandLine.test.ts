import { defineCommand } from './CommandSpec';
import { parseCommandLine } from './parseCommandLine';

const spec = defineCommand({
  name: 'tally probe',
  summary: 'A command with one option of every kind.',
  positionals: [
    { name: 'batch', description: 'the batch', required: true },
    { name: 'folder', description: 'a folder', required: false },
  ],
  options: {
    json: { type: 'boolean', description: 'print JSON' },
    env: { type: 'string', valueName: 'env', description: 'an environment' },
    local: {
      type: 'string',
      valueName: 'endpoints',
      description: 'the local stack',
      optionalValue: (word) => word.startsWith('{') || word.endsWith('.json'),
    },
    items: { type: 'number', valueName: 'n', description: 'items', default: 10, max: 1000 },
    rate: { type: 'number', valueName: 'r', description: 'a rate', fraction: true, max: 1 },
    scenario: { type: 'string', valueName: 'name', description: 'scenarios', multiple: true },
    out: { type: 'string', valueName: 'dir', description: 'output', short: 'o' },
  },
  exclusive: [['local', 'env']],
  exitCodes: [[0, 'ok']],
});

const defaults = {
  json: false,
  env: undefined,
  local: undefined,
  items: 10,
  rate: undefined,
  scenario: [],
  out: undefined,
};

describe('parseCommandLine', () => {
  it.each([
    [['b1'], {}, { batch: 'b1', folder: undefined }],
    [['b1', 'dir', '--json'], { json: true }, { batch: 'b1', folder: 'dir' }],
    [['--env', 'dev', 'b1'], { env: 'dev' }, { batch: 'b1', folder: undefined }],
    [['--env=dev', 'b1'], { env: 'dev' }, { batch: 'b1', folder: undefined }],
    [['-o', 'out', 'b1'], { out: 'out' }, { batch: 'b1', folder: undefined }],
    [['--items', '1000', 'b1'], { items: 1000 }, { batch: 'b1', folder: undefined }],
    [['--rate', '0.25', 'b1'], { rate: 0.25 }, { batch: 'b1', folder: undefined }],
    [
      ['--scenario', 'a', '--scenario', 'b', 'b1'],
      { scenario: ['a', 'b'] },
      { batch: 'b1', folder: undefined },
    ],
    // A bare --local leaves the next word alone unless it is endpoints.
    [['--local', 'b1'], { local: '' }, { batch: 'b1', folder: undefined }],
    [['b1', '--local'], { local: '' }, { batch: 'b1', folder: undefined }],
    [['--local', 'stack.json', 'b1'], { local: 'stack.json' }, { batch: 'b1', folder: undefined }],
    [
      ['--local', '{"sqs":"x"}', 'b1'],
      { local: '{"sqs":"x"}' },
      { batch: 'b1', folder: undefined },
    ],
    [['--local=e', 'b1'], { local: 'e' }, { batch: 'b1', folder: undefined }],
    [['--', '--b1'], {}, { batch: '--b1', folder: undefined }],
    [['--env=-x', 'b1'], { env: '-x' }, { batch: 'b1', folder: undefined }],
    [['lot 7 – été'], {}, { batch: 'lot 7 – été', folder: undefined }],
  ])('reads %j', (argv, options, args) => {
    expect(parseCommandLine(spec, argv)).toEqual({
      kind: 'run',
      options: { ...defaults, ...options },
      args,
    });
  });

  it.each([[['--help']], [['-h']], [['b1', '--bogus', '--help']], [['--help', '--items', 'x']]])(
    'asks for help with %j, whatever else is there',
    (argv) => {
      expect(parseCommandLine(spec, argv)).toEqual({ kind: 'help' });
    },
  );

  it.each([
    [['b1', '--bogus'], 'unknown option --bogus'],
    [['b1', '-x'], 'unknown option -x'],
    [['b1', '--bogus=1'], 'unknown option --bogus'],
    [['b1', '--env'], '--env needs a value: --env <env>'],
    [['b1', '--env', '--json'], '--env needs a value: --env <env>'],
    [['b1', '--env='], '--env needs a value: --env <env>'],
    [['b1', '--env', ''], '--env needs a value: --env <env>'],
    [['b1', '--json=yes'], '--json takes no value'],
    [['b1', '--items', 'abc'], '--items must be a whole number, got "abc"'],
    [['b1', '--items', '1.5'], '--items must be a whole number, got "1.5"'],
    [['b1', '--items', '1e3'], '--items must be a whole number, got "1e3"'],
    [['b1', '--items=-1'], '--items must be a whole number, got "-1"'],
    [['b1', '--items', '1001'], '--items must be at most 1000, got "1001"'],
    [['b1', '--rate', 'x'], '--rate must be a number, got "x"'],
    [['b1', '--rate', '1.5'], '--rate must be at most 1, got "1.5"'],
    [['b1', '--env', 'dev', '--env', 'prod'], '--env is given twice'],
    [['b1', '--env', 'dev', '--local'], '--local and --env exclude each other'],
    [[], 'missing <batch>'],
    [['b1', 'dir', 'extra'], 'unexpected argument "extra"'],
  ])('refuses %j in one line: %s', (argv, message) => {
    expect(parseCommandLine(spec, argv)).toEqual({ kind: 'usage-error', message });
  });

  it('names a required option that is missing', () => {
    const withRequired = defineCommand({
      name: 'tally replay',
      summary: 'Replays.',
      positionals: [],
      options: { batch: { type: 'string', valueName: 'id', description: 'b', required: true } },
      exitCodes: [],
    });
    expect(parseCommandLine(withRequired, [])).toEqual({
      kind: 'usage-error',
      message: 'missing --batch <id>',
    });
    expect(parseCommandLine(withRequired, ['--batch', 'b1'])).toEqual({
      kind: 'run',
      options: { batch: 'b1' },
      args: {},
    });
  });
});
