import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Keeps renovate.json true to the repository: every package rule names packages we have, the
 * pins it holds are the versions package.json has, and its custom manager finds the Node 24
 * version in .ci/run.
 */
const workspaceRoot = join(__dirname, '..');
const readText = (file: string): string => readFileSync(join(workspaceRoot, file), 'utf8');

interface PackageRule {
  readonly description?: string;
  readonly matchPackageNames: readonly string[];
  readonly allowedVersions?: string;
}
interface RenovateConfig {
  readonly packageRules: readonly PackageRule[];
  readonly customManagers: readonly {
    readonly managerFilePatterns: readonly string[];
    readonly matchStrings: readonly string[];
    readonly depNameTemplate: string;
  }[];
}

const renovate = JSON.parse(readText('renovate.json')) as RenovateConfig;
const packageJson = JSON.parse(readText('package.json')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const versions: Record<string, string> = {
  ...packageJson.dependencies,
  ...packageJson.devDependencies,
};
const [nodeManager] = renovate.customManagers;
const ciRun = readText('.ci/run');
const nodeMatches = [...ciRun.matchAll(new RegExp(nodeManager?.matchStrings[0] ?? '$^', 'g'))];
const managedNames = [...Object.keys(versions), nodeManager?.depNameTemplate ?? ''];

/** Renovate's glob for package names, as used here: an exact name, or `<scope>/**`. */
const matches = (pattern: string, name: string): boolean =>
  pattern.endsWith('/**') ? name.startsWith(pattern.slice(0, -2)) : name === pattern;

describe('renovate.json', () => {
  it.each(renovate.packageRules.map((rule) => [rule.matchPackageNames.join(' '), rule] as const))(
    'the rule for %s has a reason and names packages we have',
    (_names, rule) => {
      expect(rule.description?.length).toBeGreaterThan(20);
      for (const pattern of rule.matchPackageNames) {
        expect(managedNames.filter((name) => matches(pattern, name))).not.toEqual([]);
      }
    },
  );

  it('pins fauxqs to the version package.json has', () => {
    const rule = renovate.packageRules.find((candidate) =>
      candidate.matchPackageNames.includes('fauxqs'),
    );
    expect(rule?.allowedVersions).toBe(versions['fauxqs']);
  });

  it('keeps Nx on the major version package.json has', () => {
    const rule = renovate.packageRules.find(
      (candidate) =>
        candidate.matchPackageNames.includes('nx') && candidate.allowedVersions !== undefined,
    );
    const major = Number((versions['nx'] ?? '').split('.')[0]);
    expect(rule?.allowedVersions).toBe(`<${major + 1}`);
  });

  it('finds the one Node 24 version of .ci/run', () => {
    expect(nodeManager?.managerFilePatterns).toEqual(['/^\\.ci/run$/']);
    expect(nodeMatches.map((match) => match.groups?.['currentValue'])).toEqual([
      /^NODE_24_VERSION=(\S+)$/m.exec(ciRun)?.[1],
    ]);
    expect(nodeMatches[0]?.groups?.['currentValue']).toMatch(/^24\.\d+\.\d+$/);
  });
});
