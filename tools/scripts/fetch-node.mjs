// `node tools/scripts/fetch-node.mjs <version>`: makes Node <version> (exact, e.g. 24.22.3)
// available without root or internet beyond the npm registry, and prints the folder that holds
// its `node` binary, to put first on PATH. The registry package `node-<platform>-<arch>`
// carries the official binary in package/bin/node. It is kept in
// ${XDG_CACHE_HOME:-~/.cache}/tally/node/<version>/ and reused while it runs and reports that
// version. Used by .ci/run to run the suite once more on Node 24.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const version = process.argv[2] ?? '';
if (!/^\d+\.\d+\.\d+$/.test(version)) {
  console.error('usage: node tools/scripts/fetch-node.mjs <version>   (exact, e.g. 24.22.3)');
  process.exit(64);
}

const cacheRoot = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tally', 'node');
const folder = join(cacheRoot, version);
const bin = join(folder, 'bin');

/** The version the binary in `binFolder` reports, or undefined when it does not run. */
const versionOf = (binFolder) => {
  try {
    return execFileSync(join(binFolder, 'node'), ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
};

if (versionOf(bin) !== `v${version}`) {
  mkdirSync(cacheRoot, { recursive: true });
  // Unpacked beside its final place and renamed into it: an interrupted run leaves no half folder.
  const work = mkdtempSync(join(cacheRoot, `.${version}-`));
  try {
    const spec = `node-${process.platform}-${process.arch}@${version}`;
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', spec, '--json', '--pack-destination', work], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    );
    execFileSync('tar', ['-xzf', join(work, packed.filename), '-C', work]);
    const fetched = versionOf(join(work, 'package', 'bin'));
    if (fetched !== `v${version}`) {
      throw new Error(
        `${spec}: package/bin/node reports ${fetched ?? 'nothing (it does not run)'}`,
      );
    }
    if (existsSync(folder)) rmSync(folder, { recursive: true, force: true });
    renameSync(join(work, 'package'), folder);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
process.stdout.write(`${bin}\n`);
