import { defineCommand } from './CommandSpec';
import { formatUsage } from './formatUsage';

describe('formatUsage', () => {
  it('shows the usage line, the text, arguments, options with defaults, and exit codes with 64', () => {
    const spec = defineCommand({
      name: 'tally probe',
      summary: 'Probes a batch.',
      details: 'stdout gets JSON lines.',
      positionals: [
        { name: 'batch', description: 'the batch id', required: true },
        { name: 'folder', description: 'where it is', required: false },
      ],
      options: {
        batch: { type: 'string', valueName: 'id', description: 'the batch', required: true },
        local: {
          type: 'string',
          valueName: 'endpoints',
          description: 'the local stack\nor endpoints',
          optionalValue: () => false,
        },
        items: { type: 'number', valueName: 'n', description: 'items', default: 10 },
        json: { type: 'boolean', short: 'j', description: 'print JSON' },
      },
      exitCodes: [
        [0, 'done'],
        [2, 'incomplete'],
      ],
    });
    expect(formatUsage(spec)).toBe(
      [
        'usage: tally probe <batch> [<folder>] --batch <id> [options]',
        '',
        'Probes a batch.',
        '',
        'stdout gets JSON lines.',
        '',
        'arguments:',
        '  <batch>   the batch id',
        '  <folder>  where it is',
        '',
        'options:',
        '  --batch <id>           the batch',
        '  --local[=<endpoints>]  the local stack',
        '                         or endpoints',
        '  --items <n>            items (default 10)',
        '  -j, --json             print JSON',
        '  -h, --help             print this help',
        '',
        'exit codes:',
        '  0   done',
        '  2   incomplete',
        '  64  bad usage: an unknown option or command, a missing or bad value or argument',
        '',
      ].join('\n'),
    );
  });
});
