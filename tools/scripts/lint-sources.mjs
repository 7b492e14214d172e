// Lints sources given on stdin (JSON: [{ filePath, source }]) with the workspace's ESLint
// config, without writing them to disk, and prints the messages of each as JSON. Used by
// tools/boundaries.test.ts and tools/promiseRules.test.ts: Jest cannot load ESLint's ESM config
// in-process.
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const workspaceRoot = fileURLToPath(new URL('../..', import.meta.url));
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const inputs = JSON.parse(Buffer.concat(chunks).toString('utf8'));

// The type-aware rules get types from each project's tsconfig.json through TypeScript's project
// service, which knows only files on disk. A source linted from memory at <project>/src/probe.ts
// is typed with tsconfig.base.json instead (same compiler options and paths); the rules that
// apply to it are still exactly the workspace's.
const probes = ['apps/*/src/probe.ts', 'libs/*/src/probe.ts'];
const eslint = new ESLint({
  cwd: workspaceRoot,
  overrideConfig: [
    {
      files: probes,
      languageOptions: {
        parserOptions: {
          projectService: { allowDefaultProject: probes, defaultProject: 'tsconfig.base.json' },
        },
      },
    },
  ],
});
const results = [];
for (const { filePath, source } of inputs) {
  const [result] = await eslint.lintText(source, { filePath: join(workspaceRoot, filePath) });
  results.push(result.messages.map(({ ruleId, message }) => ({ ruleId, message })));
}
process.stdout.write(JSON.stringify(results));
