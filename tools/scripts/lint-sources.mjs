// Lints sources given on stdin (JSON: [{ filePath, source }]) with the workspace's ESLint
// config, without writing them to disk, and prints the messages of each as JSON. Used by
// tools/boundaries.test.ts: Jest cannot load ESLint's ESM config in-process.
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const workspaceRoot = fileURLToPath(new URL('../..', import.meta.url));
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const inputs = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const eslint = new ESLint({ cwd: workspaceRoot });
const results = [];
for (const { filePath, source } of inputs) {
  const [result] = await eslint.lintText(source, { filePath: join(workspaceRoot, filePath) });
  results.push(result.messages.map(({ ruleId, message }) => ({ ruleId, message })));
}
process.stdout.write(JSON.stringify(results));
