module.exports = {
  displayName: 'local-stack',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/local-stack',
  // One set of emulators per Jest run, shared by the integration tests (*.int.test.ts).
  globalSetup: '<rootDir>/jest/globalSetup.mjs',
  globalTeardown: '<rootDir>/jest/globalTeardown.mjs',
};
