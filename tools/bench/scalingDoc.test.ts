import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScaleSizeResult } from './measureScale';
import { formatScalingModel } from './scalingModel';
import { scalingModelOfSizes } from './scalingModelOfSizes';

const workspaceRoot = join(__dirname, '..', '..');

/**
 * The scale run docs/scaling.md was written from: the report of
 * `npm run bench -- --rows 20000000 --json tools/bench/measuredScaleRun.json`.
 */
const report = JSON.parse(readFileSync(join(__dirname, 'measuredScaleRun.json'), 'utf8')) as {
  readonly scale: { readonly sizes: readonly ScaleSizeResult[] };
};

const MODEL_BLOCK = /<!-- BEGIN_SCALING_MODEL -->\n([\s\S]*?)\n<!-- END_SCALING_MODEL -->/;

describe('docs/scaling.md', () => {
  it('shows the model that the saved scale run gives with pipeline.json and the model as they are', () => {
    const doc = readFileSync(join(workspaceRoot, 'docs', 'scaling.md'), 'utf8');
    const model = scalingModelOfSizes(report.scale.sizes);
    if (model === undefined) throw new Error('the saved run has no size aggregated in partitions');
    // On a difference: `npm run bench -- --model tools/bench/measuredScaleRun.json` prints it.
    expect(MODEL_BLOCK.exec(doc)?.[1]).toBe(formatScalingModel(model.raised, model.comparisons));
  });
});
