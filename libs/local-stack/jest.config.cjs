module.exports = {
  displayName: 'local-stack',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/local-stack',
  // One set of emulators per Jest run, shared by the integration tests (*.int.test.ts).
  globalSetup: '<rootDir>/jest/globalSetup.mjs',
  globalTeardown: '<rootDir>/jest/globalTeardown.mjs',
  // The integration tests wait on emulators and Lambda child processes, each within its own
  // deadline (`whenIdle({ timeoutMs })`, up to 20 s); Jest's 5 s default would cut them short
  // on a busy 2-core CI machine before those deadlines say what went wrong.
  testTimeout: 30_000,
};
