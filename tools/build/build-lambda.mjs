// Builds one Lambda app into dist/<app>/index.js (esbuild: minified, for the Node version of
// pipeline.json's lambdaRuntime, with index.js.map beside it) and a reproducible dist/<app>.zip
// of index.js alone: fixed entry order, fixed timestamps and modes, so the same sources always
// give the same bytes and Terraform's source_code_hash changes only with them.
//
// The zip leaves the source map out. Nothing in AWS would read it: Node applies maps only with
// --enable-source-maps, which costs about 90-100 ms of cold init for these bundles (measured
// on the 2-core build machine; the map was 56 % of the zip). The local stack runs the
// bundles from dist/<app>/ with --enable-source-maps, so its stack traces name our sources.
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const workspaceRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * esbuild's target for a Lambda runtime: `nodejs22.x` gives `node22`. pipeline.json names the
 * runtime once, for Terraform and for this build, so the bundle never uses syntax or APIs the
 * runtime lacks.
 */
export const esbuildTargetOf = (lambdaRuntime) => {
  const major = /^nodejs(\d+)\.x$/.exec(String(lambdaRuntime))?.[1];
  if (major === undefined) {
    throw new Error(
      `pipeline.json: lambdaRuntime "${lambdaRuntime}" is not a Node.js runtime (nodejs<major>.x)`,
    );
  }
  return `node${major}`;
};

/** CRC-32 as the zip format wants it. */
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes) => {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
};

// 1980-01-01 00:00 in MS-DOS format: the earliest time a zip can hold, the same on every build.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** A zip archive of `files` ([name, bytes] pairs, written in the given order). */
export const reproducibleZip = (files) => {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, data] of files) {
    const nameBytes = Buffer.from(name, 'utf8');
    const compressed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the mode below is honoured
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, compressed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + compressed.length;
  }
  const centralSize = centrals.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
};

/** esbuild's options for the bundle of apps/<app>/src/main.ts, written to `outDir`/index.js. */
export const bundleOptions = async (app, outDir) => {
  const { lambdaRuntime } = JSON.parse(
    await readFile(join(workspaceRoot, 'pipeline.json'), 'utf8'),
  );
  return {
    entryPoints: [join(workspaceRoot, 'apps', app, 'src', 'main.ts')],
    outfile: join(outDir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: esbuildTargetOf(lambdaRuntime),
    format: 'cjs',
    // esbuild's node default (`main` first) takes the SDK clients' CommonJS builds, while the
    // `module` condition of @aws-sdk/core's and @smithy/core's `exports` gives their ESM builds.
    // A require() of an ESM module makes esbuild keep all of it, so the browser-only user-agent
    // parser and its `bowser` dependency shipped in the node bundle. Preferring `module` takes
    // the ESM builds throughout (as the SDK advises for bundlers), which esbuild tree-shakes; their
    // browser variants stay behind the `browser` field, which platform `node` ignores.
    mainFields: ['module', 'main'],
    minify: true,
    // `linked`: index.js names index.js.map, which --enable-source-maps then finds beside it.
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    tsconfig: join(workspaceRoot, 'tsconfig.base.json'),
    absWorkingDir: workspaceRoot,
    logLevel: 'warning',
  };
};

/**
 * Bundles apps/<app>/src/main.ts into `<distRoot>/<app>/` and zips its index.js as
 * `<distRoot>/<app>.zip`; returns the paths written.
 */
export const buildLambda = async (app, distRoot = join(workspaceRoot, 'dist')) => {
  const outDir = join(distRoot, app);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await build(await bundleOptions(app, outDir));
  const zipPath = join(distRoot, `${app}.zip`);
  await writeFile(
    zipPath,
    reproducibleZip([['index.js', await readFile(join(outDir, 'index.js'))]]),
  );
  return { bundle: join(outDir, 'index.js'), zip: zipPath };
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [app, distRoot] = process.argv.slice(2);
  if (!app) {
    console.error('usage: node tools/build/build-lambda.mjs <app> [<dist folder>]');
    process.exit(1);
  }
  const { zip } = await buildLambda(app, distRoot);
  console.log(`built ${zip}`);
}
