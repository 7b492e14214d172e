#!/usr/bin/env node
// The `tally` bin: runs the TypeScript CLI (src/runTally.ts) through tsx's require hook, a
// devDependency, so there is no build step. apps/cli/tsconfig.json maps the `@tally/*` imports
// to libs/*/src; the hook reads it from TSX_TSCONFIG_PATH (the repository root has none).
// Each command loads its implementation only when it runs, so help and usage errors are quick.
import { fileURLToPath } from 'node:url';

process.env.TSX_TSCONFIG_PATH = fileURLToPath(new URL('../tsconfig.json', import.meta.url));
const { require: tsxRequire } = await import('tsx/cjs/api');
const { runTallyAsProcess } = tsxRequire('../src/runTally.ts', import.meta.url);
process.exitCode = await runTallyAsProcess();
