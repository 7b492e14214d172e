import { aggregatorEnvironment, ingestEnvironment, readEnvironment } from '@tally/aws-clients';
import { coldStartEnvironment } from './lambdaFigures';

describe('coldStartEnvironment', () => {
  it.each([
    ['ingest', ingestEnvironment],
    ['aggregator', aggregatorEnvironment],
  ] as const)('gives the %s function a configuration it accepts', (app, spec) => {
    const environment = coldStartEnvironment(app);

    expect(() => readEnvironment(spec, environment)).not.toThrow();
    expect(environment['AWS_REGION']).toBe('eu-west-1');
  });

  it('passes on no credentials of this process', () => {
    const names = Object.keys(coldStartEnvironment('ingest'));

    expect(names.filter((name) => /SECRET|TOKEN|ACCESS_KEY|PROFILE/.test(name))).toEqual([]);
  });
});
