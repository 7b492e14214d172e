import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EnvironmentSpec } from '@tally/aws-clients';
import { aggregatorEnvironment, ingestEnvironment } from '@tally/aws-clients';
import { median } from './median';

export const LAMBDA_APPS = ['ingest', 'aggregator'] as const;
export type LambdaApp = (typeof LAMBDA_APPS)[number];

const ENVIRONMENT_OF: { readonly [A in LambdaApp]: EnvironmentSpec } = {
  ingest: ingestEnvironment,
  aggregator: aggregatorEnvironment,
};

/** Realistic values for the variables whose type alone does not say one. */
const KNOWN_VALUES: Readonly<Record<string, string>> = {
  TALLY_INPUT_PREFIX: 'incoming/',
  TALLY_STAGING_TTL_DAYS: '7',
  TALLY_MAX_OBJECT_BYTES: '53687091200',
  TALLY_MAX_LINE_BYTES: '1048576',
  TALLY_SEGMENT_BYTES: '67108864',
  TALLY_MAX_ROW_ERRORS: '1000',
};

const dummyValueOf = (name: string, type: string): string =>
  KNOWN_VALUES[name] ??
  (type === 'url'
    ? `https://sqs.eu-west-1.amazonaws.com/000000000000/${name.toLowerCase()}`
    : type === 'integer'
      ? '1'
      : type === 'boolean'
        ? 'false'
        : `bench-${name.toLowerCase()}`);

/**
 * The environment a Lambda of `app` starts with: every variable it validates at cold start, with
 * dummy values, and a region. Nothing is inherited from this process (no credentials either):
 * the bundle only has to load, not to call AWS.
 */
export const coldStartEnvironment = (app: LambdaApp): Record<string, string> => {
  const environment: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    AWS_REGION: 'eu-west-1',
  };
  for (const [name, spec] of Object.entries(ENVIRONMENT_OF[app])) {
    environment[name] = dummyValueOf(name, spec.type);
  }
  return environment;
};

const buildBundle = (workspaceRoot: string, app: LambdaApp): void => {
  const build = spawnSync(process.execPath, ['tools/build/build-lambda.mjs', app], {
    cwd: workspaceRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) throw new Error(`building ${app} failed (exit ${build.status})`);
};

/**
 * A snapshot of `dist/<app>/index.js` (built by `tools/build/build-lambda.mjs` when missing)
 * copied to `workDir`, so a build running meanwhile cannot swap or delete it mid-measurement.
 * The bundle is self-contained, so the copy loads as the original does.
 */
export const lambdaBundle = (workspaceRoot: string, app: LambdaApp, workDir: string): string => {
  const bundle = join(workspaceRoot, 'dist', app, 'index.js');
  const snapshot = join(workDir, app, 'index.js');
  mkdirSync(dirname(snapshot), { recursive: true });
  for (let attempt = 1; ; attempt++) {
    if (!existsSync(bundle)) buildBundle(workspaceRoot, app);
    try {
      copyFileSync(bundle, snapshot);
      return snapshot;
    } catch (error) {
      // Deleted by a concurrent build between the check and the copy: build it ourselves once.
      if (attempt > 1 || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
};

/** Requires the bundle in a fresh process and prints how long `require` took, in ms. */
const REQUIRE_TIMER = `
const started = process.hrtime.bigint();
require(process.argv[1]);
const elapsed = process.hrtime.bigint() - started;
process.stdout.write(String(Number(elapsed) / 1e6));
`;

/** One Lambda bundle's size and cold initialisation time. */
export interface LambdaFigures {
  readonly app: LambdaApp;
  readonly bundleBytes: number;
  /** Median over `runs` fresh processes of the time `require` of the bundle takes. */
  readonly coldInitMs: number;
  readonly coldInitRunsMs: readonly number[];
}

/**
 * Measures `app`'s bundle: its size, and its module initialisation (what Lambda's "Init
 * Duration" mostly is, minus the runtime's own start) as the median of `runs` fresh `node`
 * processes that each time a `require` of the bundle with the function's environment.
 */
export const measureLambda = (
  workspaceRoot: string,
  app: LambdaApp,
  workDir: string,
  runs: number,
): LambdaFigures => {
  const bundle = lambdaBundle(workspaceRoot, app, workDir);
  const coldInitRunsMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    const child = spawnSync(process.execPath, ['-e', REQUIRE_TIMER, bundle], {
      env: coldStartEnvironment(app),
      encoding: 'utf8',
    });
    if (child.status !== 0) {
      throw new Error(`${app} bundle failed to load: ${child.stderr.slice(0, 500)}`);
    }
    coldInitRunsMs.push(Number(child.stdout));
  }
  return {
    app,
    bundleBytes: statSync(bundle).size,
    coldInitMs: median(coldInitRunsMs),
    coldInitRunsMs,
  };
};
