import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Proves that the module boundaries are enforced, not decoration: ESLint with the workspace's
 * config reports `@nx/enforce-module-boundaries` for each forbidden import below, and nothing
 * for an allowed one. The sources are linted from memory at a path inside each project.
 */
const forbidden = [
  [
    'domain imports the AWS SDK',
    'libs/domain/src/probe.ts',
    "import { S3Client } from '@aws-sdk/client-s3';\nexport const probe = S3Client;\n",
  ],
  [
    'domain imports Powertools',
    'libs/domain/src/probe.ts',
    "import { Logger } from '@aws-lambda-powertools/logger';\nexport const probe = Logger;\n",
  ],
  [
    'domain imports the schema library',
    'libs/domain/src/probe.ts',
    "import { createRowValidators } from '@tally/schema';\nexport const probe = createRowValidators;\n",
  ],
  [
    'domain imports the adapters',
    'libs/domain/src/probe.ts',
    "import { SqsMessageSink } from '@tally/aws-clients';\nexport const probe = SqsMessageSink;\n",
  ],
  [
    'schema imports the AWS SDK',
    'libs/schema/src/probe.ts',
    "import { SQSClient } from '@aws-sdk/client-sqs';\nexport const probe = SQSClient;\n",
  ],
  [
    'schema imports the adapters',
    'libs/schema/src/probe.ts',
    "import { SqsMessageSink } from '@tally/aws-clients';\nexport const probe = SqsMessageSink;\n",
  ],
  [
    'a library imports an app',
    'libs/aws-clients/src/probe.ts',
    "import { handler } from '../../../apps/ingest/src/main';\nexport const probe = handler;\n",
  ],
  [
    'one app imports the other',
    'apps/aggregator/src/probe.ts',
    "import { handler } from '../../ingest/src/main';\nexport const probe = handler;\n",
  ],
  [
    'a Lambda app imports the local stack',
    'apps/ingest/src/probe.ts',
    "import { startLocalStack } from '@tally/local-stack';\nexport const probe = startLocalStack;\n",
  ],
  [
    'the local stack imports the adapters',
    'libs/local-stack/src/probe.ts',
    "import { SqsMessageSink } from '@tally/aws-clients';\nexport const probe = SqsMessageSink;\n",
  ],
  [
    'the domain imports the command line',
    'libs/domain/src/probe.ts',
    "import { parseCommandLine } from '@tally/command-line';\nexport const probe = parseCommandLine;\n",
  ],
  [
    'the command line imports the AWS SDK',
    'libs/command-line/src/probe.ts',
    "import { SQSClient } from '@aws-sdk/client-sqs';\nexport const probe = SQSClient;\n",
  ],
  [
    'the local stack imports the CLI app',
    'libs/local-stack/src/probe.ts',
    "import { runTally } from '../../../apps/cli/src/runTally';\nexport const probe = runTally;\n",
  ],
] as const;

const allowed = [
  [
    'schema uses domain types',
    'libs/schema/src/probe.ts',
    "import type { RowValidators } from '@tally/domain';\nexport type Probe = RowValidators;\n",
  ],
  [
    'adapters use the AWS SDK and domain',
    'libs/aws-clients/src/probe.ts',
    "import { S3Client } from '@aws-sdk/client-s3';\nimport type { ObjectSource } from '@tally/domain';\nexport const probe = S3Client;\nexport type Probe = ObjectSource;\n",
  ],
  [
    'the CLI uses the local stack, the command line and the adapters',
    'apps/cli/src/probe.ts',
    "import { createAwsClients } from '@tally/aws-clients';\nimport { parseCommandLine } from '@tally/command-line';\nimport { startLocalStack } from '@tally/local-stack';\nexport const probe = [createAwsClients, parseCommandLine, startLocalStack];\n",
  ],
  [
    'the tools use the local stack and the command line',
    'tools/bench/probe.ts',
    "import { parseCommandLine } from '@tally/command-line';\nimport { startLocalStack } from '@tally/local-stack';\nexport const probe = [parseCommandLine, startLocalStack];\n",
  ],
  [
    'an app uses every library',
    'apps/ingest/src/probe.ts',
    "import { createAwsClients } from '@tally/aws-clients';\nimport { FILE_KINDS } from '@tally/domain';\nimport { createRowValidators } from '@tally/schema';\nexport const probe = [createAwsClients, FILE_KINDS, createRowValidators];\n",
  ],
] as const;

const cases = [...forbidden, ...allowed];
let results: { ruleId: string | null; message: string }[][] = [];

beforeAll(() => {
  const run = spawnSync(process.execPath, [join(__dirname, 'scripts', 'lint-sources.mjs')], {
    input: JSON.stringify(cases.map(([, filePath, source]) => ({ filePath, source }))),
    encoding: 'utf8',
    cwd: join(__dirname, '..'),
  });
  if (run.status !== 0) throw new Error(`lint-sources failed: ${run.stderr}`);
  results = JSON.parse(run.stdout);
}, 60_000);

const boundaryErrorsOf = (index: number): string[] =>
  (results[index] ?? [])
    .filter((message) => message.ruleId === '@nx/enforce-module-boundaries')
    .map((message) => message.message);

describe('module boundaries', () => {
  it.each(forbidden.map(([name], index) => [name, index] as const))(
    'fails lint when %s',
    (_name, index) => {
      expect(boundaryErrorsOf(index)).toHaveLength(1);
    },
  );

  it.each(allowed.map(([name], index) => [name, forbidden.length + index] as const))(
    'allows it when %s',
    (_name, index) => {
      expect(boundaryErrorsOf(index)).toEqual([]);
    },
  );
});
