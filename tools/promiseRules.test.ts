import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Proves that the type-aware promise rules fire on the code that runs in Lambda and in the
 * libraries: ESLint with the workspace's config reports exactly the expected error for each
 * mistake below, and nothing once it is fixed. The sources are linted from memory at a path
 * inside each project (tools/scripts/lint-sources.mjs).
 */
const SAVE = 'const save = async (): Promise<void> => undefined;\n';

const cases = [
  {
    name: 'a promise left floating in a library',
    filePath: 'libs/aws-clients/src/probe.ts',
    source: `${SAVE}export const probe = (): void => {\n  save();\n};\n`,
    expected: ['@typescript-eslint/no-floating-promises'],
  },
  {
    name: 'a promise left floating in a Lambda app',
    filePath: 'apps/ingest/src/probe.ts',
    source: `${SAVE}export const probe = async (): Promise<void> => {\n  save().then(() => undefined);\n};\n`,
    expected: ['@typescript-eslint/no-floating-promises'],
  },
  {
    name: 'an async callback where forEach expects a void one',
    filePath: 'libs/domain/src/probe.ts',
    source: `${SAVE}export const probe = (items: string[]): void => {\n  items.forEach(async () => {\n    await save();\n  });\n};\n`,
    expected: ['@typescript-eslint/no-misused-promises'],
  },
  {
    name: 'a promise used as a condition',
    filePath: 'apps/aggregator/src/probe.ts',
    source: `${SAVE}export const probe = (): number => (save() ? 1 : 0);\n`,
    expected: ['@typescript-eslint/no-misused-promises'],
  },
  {
    name: 'the same code awaited, or marked with void where nothing can reject',
    filePath: 'libs/domain/src/probe.ts',
    source: `${SAVE}export const probe = async (items: string[]): Promise<void> => {\n  await save();\n  await Promise.all(items.map(async () => save()));\n  void Promise.resolve();\n};\n`,
    expected: [],
  },
] as const;

let results: { ruleId: string | null; message: string }[][] = [];

beforeAll(() => {
  const run = spawnSync(process.execPath, [join(__dirname, 'scripts', 'lint-sources.mjs')], {
    input: JSON.stringify(cases.map(({ filePath, source }) => ({ filePath, source }))),
    encoding: 'utf8',
    cwd: join(__dirname, '..'),
  });
  if (run.status !== 0) throw new Error(`lint-sources failed: ${run.stderr}`);
  results = JSON.parse(run.stdout);
}, 120_000);

describe('promise rules', () => {
  it.each(cases.map((testCase, index) => [testCase.name, testCase.expected, index] as const))(
    'report %s: %j',
    (_name, expected, index) => {
      expect((results[index] ?? []).map((message) => message.ruleId)).toEqual(expected);
    },
  );
});
