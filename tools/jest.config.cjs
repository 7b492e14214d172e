module.exports = {
  displayName: 'tools',
  preset: '../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../coverage/tools',
  // One set of emulators per Jest run, shared by the integration tests (*.int.test.ts).
  globalSetup: '<rootDir>/local-stack/jest/globalSetup.mjs',
  globalTeardown: '<rootDir>/local-stack/jest/globalTeardown.mjs',
};
