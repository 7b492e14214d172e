module.exports = {
  displayName: 'tools',
  preset: '../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../coverage/tools',
  // One set of emulators per Jest run, shared by the integration tests (*.int.test.ts).
  globalSetup: '../libs/local-stack/jest/globalSetup.mjs',
  globalTeardown: '../libs/local-stack/jest/globalTeardown.mjs',
};
