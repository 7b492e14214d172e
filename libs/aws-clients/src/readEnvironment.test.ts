import { ConfigurationError, readEnvironment } from './readEnvironment';

const spec = {
  TABLE: { type: 'string' },
  QUEUE_URL: { type: 'url' },
  LIMIT: { type: 'integer', min: 1 },
  PATH_STYLE: { type: 'boolean', default: false },
  PREFIX: { type: 'string', default: 'incoming/' },
} as const;

describe('readEnvironment', () => {
  it('returns typed values and defaults', () => {
    expect(
      readEnvironment(spec, {
        TABLE: 't',
        QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/q',
        LIMIT: '25',
        PATH_STYLE: 'true',
      }),
    ).toEqual({
      TABLE: 't',
      QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/q',
      LIMIT: 25,
      PATH_STYLE: true,
      PREFIX: 'incoming/',
    });
  });

  it('names every missing or invalid variable in one error', () => {
    let error: unknown;
    try {
      readEnvironment(spec, { QUEUE_URL: 'not a url', LIMIT: '0', PATH_STYLE: 'yes' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).problems).toEqual([
      'TABLE is not set',
      'QUEUE_URL must be a URL, got "not a url"',
      'LIMIT must be an integer >= 1, got "0"',
      'PATH_STYLE must be "true" or "false", got "yes"',
    ]);
    expect((error as Error).message).toBe(
      'Invalid Lambda configuration: TABLE is not set; QUEUE_URL must be a URL, got "not a url"; LIMIT must be an integer >= 1, got "0"; PATH_STYLE must be "true" or "false", got "yes"',
    );
  });

  it.each([['1.5'], ['-3'], ['abc'], ['9007199254740993']])('rejects the integer %s', (raw) => {
    expect(() => readEnvironment({ N: { type: 'integer', min: 0 } }, { N: raw })).toThrow(
      ConfigurationError,
    );
  });
});
