module.exports = {
  displayName: 'aws-clients',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/aws-clients',
  // Integration tests (*.int.test.ts) talk to real emulators started once per run.
  globalSetup: '../../tools/local-stack/jest/globalSetup.mjs',
  globalTeardown: '../../tools/local-stack/jest/globalTeardown.mjs',
};
