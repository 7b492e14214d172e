import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** The metric names a function's handler code emits with Powertools' `addMetric`. */
const emittedBy = async (app: string): Promise<string[]> => {
  const names = new Set<string>();
  const folder = join(ROOT, 'apps', app, 'src');
  for (const file of await readdir(folder, { recursive: true })) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
    const source = await readFile(join(folder, file), 'utf8');
    for (const [, name] of source.matchAll(/addMetric\(\s*'([A-Za-z]+)'/g)) names.add(name ?? '');
  }
  return [...names].sort();
};

/** The metric names the pipeline module's dashboard graphs for a function (`custom_metrics`). */
const graphed = async (fn: string): Promise<string[]> => {
  const main = await readFile(join(ROOT, 'infra/modules/pipeline/main.tf'), 'utf8');
  const list = new RegExp(`^\\s*${fn}\\s*=\\s*\\[([^\\]]*)\\]`, 'm').exec(main)?.[1] ?? '';
  return [...list.matchAll(/"([A-Za-z]+)"/g)].map(([, name]) => name ?? '').sort();
};

describe('the dashboard', () => {
  it.each(['ingest', 'aggregator'])(
    'graphs every metric the %s handler emits, and no other',
    async (fn) => {
      const emitted = await emittedBy(fn);
      expect(emitted.length).toBeGreaterThan(2);
      expect(await graphed(fn)).toEqual(emitted);
    },
  );
});
