import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pipelineSettings } from '@tally/local-stack';

const BUILD_SCRIPT = pathToFileURL(join(__dirname, 'build-lambda.mjs')).href;

/**
 * Runs `body` as an ES module that has imported build-lambda.mjs as `build` (CommonJS Jest
 * cannot import it) and returns what it prints, parsed as JSON.
 */
const inBuildModule = (body: string): unknown => {
  const run = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', `import * as build from '${BUILD_SCRIPT}';\n${body}`],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`node exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout);
};

describe('esbuildTargetOf', () => {
  it('gives the Node version of a Lambda runtime, and rejects one that is not Node.js', () => {
    expect(
      inBuildModule(`
        const targets = ['nodejs22.x', 'nodejs24.x', 'python3.12'].map((runtime) => {
          try { return build.esbuildTargetOf(runtime); } catch (error) { return error.message; }
        });
        process.stdout.write(JSON.stringify(targets));
      `),
    ).toEqual([
      'node22',
      'node24',
      'pipeline.json: lambdaRuntime "python3.12" is not a Node.js runtime (nodejs<major>.x)',
    ]);
  });

  it('is the target of the bundles, from the runtime pipeline.json names', () => {
    expect(pipelineSettings.lambdaRuntime).toBe('nodejs22.x');
    expect(
      inBuildModule(`
        const options = await build.bundleOptions('ingest', '/tmp/unused');
        process.stdout.write(JSON.stringify(options.target));
      `),
    ).toBe('node22');
  });
});
