module.exports = {
  displayName: 'cli',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/cli',
  // Integration tests (*.int.test.ts) share one set of emulators per Jest run.
  globalSetup: '../../libs/local-stack/jest/globalSetup.mjs',
  globalTeardown: '../../libs/local-stack/jest/globalTeardown.mjs',
};
