import { CsvFileError } from '../csv/CsvFileError';
import { TallyError } from './TallyError';
import { TallyUsageError } from './TallyUsageError';

describe('TallyError', () => {
  it.each([
    ['TallyError', new TallyError('m', { cause: 'c' })],
    ['TallyUsageError', new TallyUsageError('m', { cause: 'c' })],
    ['CsvFileError', new CsvFileError('FILE_MALFORMED_CSV', 3, 'm', { cause: 'c' })],
  ])('names %s after its class and keeps the cause', (name, error) => {
    expect(error).toBeInstanceOf(TallyError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name, message: 'm', cause: 'c' });
  });

  it('gives a CsvFileError its code and line', () => {
    expect(new CsvFileError('LINE_TOO_LONG', 12, 'm')).toMatchObject({
      code: 'LINE_TOO_LONG',
      line: 12,
    });
  });
});
