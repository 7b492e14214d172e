// A Jest reporter that writes reports/test/<project>.json ({ numPassedTests, numFailedTests,
// ... }) after every run, so `npm test` can print one closing `N passed, N failed` line summed
// over all projects. Nx caches the file as the test target's output.
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(testContexts, results) {
    const [context] = [...testContexts];
    const displayName = context?.config.displayName;
    const project =
      typeof displayName === 'string' ? displayName : (displayName?.name ?? 'unnamed');
    const directory = join(__dirname, '..', '..', 'reports', 'test');
    mkdirSync(directory, { recursive: true });
    const { numPassedTests, numFailedTests, numPendingTests, numTotalTests } = results;
    writeFileSync(
      join(directory, `${project}.json`),
      `${JSON.stringify({ numPassedTests, numFailedTests, numPendingTests, numTotalTests })}\n`,
    );
  }
}

module.exports = SummaryReporter;
