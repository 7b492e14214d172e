import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';

const run = promisify(execFile);

/** Peak memory of ingest's compute path over one items file, in a fresh process. */
export interface IngestMemory {
  readonly rows: number;
  readonly chunks: number;
  readonly ms: number;
  readonly maxRssBytes: number;
}

/**
 * Bundles the probe (`ingestMemoryProbe.ts`) into `workDir` as plain CommonJS, the way the
 * Lambda bundle is built, so the measured process holds no TypeScript loader.
 */
export const buildIngestMemoryProbe = async (
  workspaceRoot: string,
  workDir: string,
): Promise<string> => {
  const outfile = join(workDir, 'ingest-memory-probe.cjs');
  await build({
    entryPoints: [join(workspaceRoot, 'tools', 'bench', 'ingestMemoryProbe.ts')],
    tsconfig: join(workspaceRoot, 'tools', 'tsconfig.json'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
};

/**
 * Runs the probe on `itemsPath` in a fresh `node` whose heap is capped as the local Lambda host
 * caps a function of `memoryMb` (90 %), and returns what it measured.
 */
export const measureIngestMemory = async (
  probePath: string,
  itemsPath: string,
  memoryMb: number,
): Promise<IngestMemory> => {
  const heapFlag = `--max-old-space-size=${Math.floor(memoryMb * 0.9)}`;
  const { stdout } = await run(process.execPath, [heapFlag, probePath, itemsPath], {
    env: { PATH: process.env['PATH'] ?? '' },
  });
  return JSON.parse(stdout) as IngestMemory;
};
