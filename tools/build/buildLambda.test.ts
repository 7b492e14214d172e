import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** The names in a zip's central directory (a zip without an archive comment). */
const zipEntryNames = (zip: Buffer): string[] => {
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end)).toBe(0x06054b50);
  const names: string[] = [];
  let offset = zip.readUInt32LE(end + 16);
  for (let entry = 0; entry < zip.readUInt16LE(end + 10); entry++) {
    expect(zip.readUInt32LE(offset)).toBe(0x02014b50);
    const nameLength = zip.readUInt16LE(offset + 28);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
  return names;
};

describe('the Lambda zip', () => {
  const roots = [1, 2].map(() => mkdtempSync(join(tmpdir(), 'tally-build-')));
  afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

  beforeAll(() => {
    for (const root of roots) {
      const run = spawnSync(
        process.execPath,
        [join(__dirname, 'build-lambda.mjs'), 'aggregator', root],
        { encoding: 'utf8' },
      );
      if (run.status !== 0) throw new Error(`build-lambda.mjs exited ${run.status}: ${run.stderr}`);
    }
  }, 120_000);

  const sha256Of = (path: string): string =>
    createHash('sha256').update(readFileSync(path)).digest('hex');

  it('is the same bytes when built twice from the same sources', () => {
    const [first, second] = roots.map((root) => sha256Of(join(root, 'aggregator.zip')));
    expect(second).toBe(first);
  });

  it('holds index.js alone; the source map stays beside the bundle for the local stack', () => {
    const [root = ''] = roots;
    expect(zipEntryNames(readFileSync(join(root, 'aggregator.zip')))).toEqual(['index.js']);
    expect(existsSync(join(root, 'aggregator', 'index.js.map'))).toBe(true);
    expect(readFileSync(join(root, 'aggregator', 'index.js'), 'utf8')).toMatch(
      /\n\/\/# sourceMappingURL=index\.js\.map\n$/,
    );
  });
});
