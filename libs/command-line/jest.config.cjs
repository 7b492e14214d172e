module.exports = {
  displayName: 'command-line',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/command-line',
};
