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
  });

  it('names a field of the wrong type', () => {
    const json = pipelineJson();
    json.queues.output.maxReceiveCount = '10';
    expect(() => parsePipelineSettings(json)).toThrow(
      'pipeline.json: queues.output.maxReceiveCount must be a non-negative integer',
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
