import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { aggregatorEnvironment, ingestEnvironment } from '@tally/aws-clients';
import { lambdaEnvironment, pipelineSettings } from '@tally/local-stack';
import type { LocalResources } from '@tally/local-stack';

/**
 * pipeline.json is the one description of names and settings. This test keeps the three
 * readers of it in step: the handlers' environment specs (validated at cold start), the local
 * stack, and Terraform's pipeline module.
 */
const workspaceRoot = join(__dirname, '..', '..');
const handlerSpecs = { ingest: ingestEnvironment, aggregator: aggregatorEnvironment } as const;
/** Variables a handler reads with a default, set only by the local stack. */
const LOCAL_ONLY = ['TALLY_S3_FORCE_PATH_STYLE'];

const resources = {
  name: 'tally-drift',
  inputPrefix: 'incoming/',
  bucket: { name: 'tally-drift-input', arn: 'arn:aws:s3:::tally-drift-input' },
  table: {
    name: 'tally-drift-staging',
    arn: 'arn:aws:dynamodb:us-east-1:000000000000:table/tally-drift-staging',
  },
  queues: Object.fromEntries(
    ['ingest', 'aggregation', 'output'].map((key) => [
      key,
      {
        name: `tally-drift-${key}`,
        url: `http://127.0.0.1:1/000000000000/tally-drift-${key}`,
        arn: `arn:aws:sqs:us-east-1:000000000000:tally-drift-${key}`,
        dlq: {
          name: `tally-drift-${key}-dlq`,
          url: `http://127.0.0.1:1/000000000000/tally-drift-${key}-dlq`,
          arn: `arn:aws:sqs:us-east-1:000000000000:tally-drift-${key}-dlq`,
        },
      },
    ]),
  ),
} as unknown as LocalResources;

describe.each(['ingest', 'aggregator'] as const)('the %s function configuration', (functionKey) => {
  const declared = [...pipelineSettings.environment[functionKey]].sort();

  it('is exactly what the handler validates at cold start', () => {
    const required = Object.keys(handlerSpecs[functionKey]).filter(
      (name) => !LOCAL_ONLY.includes(name),
    );
    expect(required.sort()).toEqual(declared);
  });

  it('is what the local stack sets, plus only Lambda and emulator variables', () => {
    const local = lambdaEnvironment(functionKey, resources, {
      s3: 'http://s3',
      sqs: 'http://sqs',
      dynamodb: 'http://ddb',
    });
    const extra = Object.keys(local).filter((name) => !declared.includes(name));
    expect(declared.every((name) => name in local)).toBe(true);
    expect(
      extra.every(
        (name) => /^(AWS_|TZ$|POWERTOOLS_TRACE_ENABLED$)/.test(name) || LOCAL_ONLY.includes(name),
      ),
    ).toBe(true);
  });

  it('has a value in Terraform for every name (the module maps each listed name to a value)', () => {
    const main = readFileSync(
      join(workspaceRoot, 'infra', 'modules', 'pipeline', 'main.tf'),
      'utf8',
    );
    const valuesBlock = /environment_values = \{([\s\S]*?)\n {2}\}/.exec(main)?.[1] ?? '';
    const terraformNames = [...valuesBlock.matchAll(/^\s+([A-Z_]+)\s+=/gm)].map(
      (match) => match[1],
    );
    // POWERTOOLS_SERVICE_NAME is the function's suffix, set per function beside the map.
    const missing = declared.filter(
      (name) => name !== 'POWERTOOLS_SERVICE_NAME' && !terraformNames.includes(name),
    );
    expect(missing).toEqual([]);
    expect(main).toContain('n == "POWERTOOLS_SERVICE_NAME" ? var.functions[fn].suffix');
  });
});

describe('the environments', () => {
  it.each(['dev', 'prod'])('infra/envs/%s passes pipeline.json to the tally module', (env) => {
    const main = readFileSync(join(workspaceRoot, 'infra', 'envs', env, 'main.tf'), 'utf8');
    expect(main).toContain('source = "../../modules/tally"');
    expect(main).toContain(
      'pipeline    = jsondecode(file("${path.module}/../../../pipeline.json"))',
    );
  });

  it('the tally module passes its environment lists to the pipeline', () => {
    const main = readFileSync(join(workspaceRoot, 'infra', 'modules', 'tally', 'main.tf'), 'utf8');
    expect(main).toContain('environment_variable_names = var.pipeline.environment');
  });
});
