import { readFileSync } from 'node:fs';
import {
  parsePipelineSettings,
  pipelineSettings,
  PIPELINE_SETTINGS_PATH,
} from './pipelineSettings';

const pipelineJson = () => JSON.parse(readFileSync(PIPELINE_SETTINGS_PATH, 'utf8'));

describe('parsePipelineSettings', () => {
  it('reads the workspace pipeline.json', () => {
    expect(pipelineSettings.functions.ingest.sourceQueue).toBe('ingest');
    expect(pipelineSettings.functions.aggregator.sourceQueue).toBe('aggregation');
    expect(pipelineSettings.lambdaRuntime).toBe('nodejs22.x');
  });

  it('names a field of the wrong type', () => {
    const json = pipelineJson();
    json.queues.output.maxReceiveCount = '10';
    expect(() => parsePipelineSettings(json)).toThrow(
      'pipeline.json: queues.output.maxReceiveCount must be a non-negative integer',
    );
  });

  it('rejects a Lambda runtime that is not Node.js', () => {
    const json = pipelineJson();
    json.lambdaRuntime = 'python3.12';
    expect(() => parsePipelineSettings(json)).toThrow(
      'pipeline.json: lambdaRuntime "python3.12" is not a Node.js runtime (nodejs<major>.x)',
    );
  });

  it('rejects a function fed by an unknown queue', () => {
    const json = pipelineJson();
    json.functions.aggregator.sourceQueue = 'aggregate';
    expect(() => parsePipelineSettings(json)).toThrow(
      'functions.aggregator.sourceQueue "aggregate" is not one of ingest, aggregation, output',
    );
  });
});
