// `npm test`: lint, typecheck, test and build every project through Nx, then print one
// closing line `N passed, N failed` summed over every Jest report and Terraform test report
// written by this run (reports/test/*.json).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const reports = join(root, 'reports', 'test');
rmSync(reports, { recursive: true, force: true });

const nx = spawnSync(
  'npx',
  [
    'nx',
    'run-many',
    '-t',
    'lint',
    'typecheck',
    'test',
    'build',
    '--outputStyle=static',
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit' },
);

let passed = 0;
let failed = 0;
let files = [];
try {
  files = readdirSync(reports).filter((name) => name.endsWith('.json'));
} catch {
  // No project wrote a report: the counts stay at zero and the exit code tells why.
}
for (const name of files) {
  const report = JSON.parse(readFileSync(join(reports, name), 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
}
const exitCode = nx.status ?? 1;
if (exitCode !== 0 && failed === 0) failed = 1; // a failed lint, typecheck or build counts as a failure
console.log(`${passed} passed, ${failed} failed`);
process.exit(exitCode);
