import { formatTable } from './formatTable';

describe('formatTable', () => {
  it('aligns labels left, values right, and marks targets ok or MISS', () => {
    const text = formatTable([
      { label: 'Section', value: '' },
      { label: 'short', value: '1 MB', target: '< 2 MB', met: true },
      { label: 'a longer label', value: '300 ms', target: '< 150 ms', met: false },
      { label: 'no target', value: 'yes' },
    ]);

    expect(text.split('\n')).toEqual([
      'Section',
      '  short             1 MB  < 2 MB    ok',
      '  a longer label  300 ms  < 150 ms  MISS',
      '  no target          yes',
    ]);
  });
});
