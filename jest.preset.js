// Shared Jest settings for every project. Tests are TypeScript compiled by SWC (no type
// checking here: `nx typecheck` does that), run in Node, and resolve `@tally/*` through the
// tsconfig paths with Nx's resolver.
const { nxPreset } = require('@nx/jest/preset');

module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  testMatch: ['**/?(*.)+(test).ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  coverageReporters: ['text-summary', 'json-summary'],
  reporters: ['default', require.resolve('./tools/jest/summaryReporter.cjs')],
};
