module.exports = {
  displayName: 'aws-clients',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/aws-clients',
  // Integration tests (*.int.test.ts) talk to real emulators started once per run.
  globalSetup: '../local-stack/jest/globalSetup.mjs',
  globalTeardown: '../local-stack/jest/globalTeardown.mjs',
};
