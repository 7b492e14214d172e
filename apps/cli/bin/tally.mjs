#!/usr/bin/env node
// The `tally` bin: runs the TypeScript CLI (tallyCommand.ts) through tsx, a devDependency, so
// there is no build step. apps/cli/tsconfig.json maps the `@tally/*` imports to libs/*/src; tsx's
// require hook reads it from TSX_TSCONFIG_PATH (the repository root has no tsconfig.json).
import { fileURLToPath } from 'node:url';

process.env.TSX_TSCONFIG_PATH = fileURLToPath(new URL('../tsconfig.json', import.meta.url));
const { require: tsxRequire } = await import('tsx/cjs/api');
const { runTallyCommand } = tsxRequire('../src/validate/validateCommand.ts', import.meta.url);
// npm scripts run in the package root; INIT_CWD is where the user typed the command.
process.exitCode = await runTallyCommand(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.env.INIT_CWD ?? process.cwd(),
});
