module.exports = {
  displayName: 'schema',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/schema',
  collectCoverage: true,
  coverageThreshold: { global: { lines: 90 } },
  collectCoverageFrom: [
    'src/**/*.ts',
    '!src/**/*.test.ts',
    '!src/index.ts',
    // Generated code (checked against the schemas by renderSchemaValidators.test.ts) and the CLI
    // that writes it.
    '!src/generated/**',
    '!src/codegen/generateSchemaValidators.ts',
  ],
};
