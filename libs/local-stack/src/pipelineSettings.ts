// Typed, checked view of pipeline.json: the one description of Tally's resource names and
// settings, read by both this local stack and Terraform.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type QueueKey = 'ingest' | 'aggregation' | 'output';
export type FunctionKey = 'ingest' | 'aggregator';

export const QUEUE_KEYS = [
  'ingest',
  'aggregation',
  'output',
] as const satisfies readonly QueueKey[];
export const FUNCTION_KEYS = ['ingest', 'aggregator'] as const satisfies readonly FunctionKey[];

/** A queue (its DLQ is `<queue>-<dlqSuffix>`). */
export interface QueueSettings {
  suffix: string;
  visibilityTimeoutSeconds: number;
  retentionSeconds: number;
  maxReceiveCount: number;
}

/** A Lambda function and the SQS event source mapping that feeds it. */
export interface FunctionSettings {
  suffix: string;
  sourceQueue: QueueKey;
  timeoutSeconds: number;
  memoryMb: number;
  batchSize: number;
  maximumConcurrency: number;
}

export interface PipelineSettings {
  inputPrefix: string;
  bucketSuffix: string;
  table: {
    suffix: string;
    partitionKey: string;
    sortKey: string;
    ttlAttribute: string;
    ttlDays: number;
  };
  queues: Record<QueueKey, QueueSettings>;
  dlqSuffix: string;
  dlqRetentionSeconds: number;
  /** The Lambda runtime of both functions; the bundles' esbuild target follows it. */
  lambdaRuntime: `nodejs${number}.x`;
  functions: Record<FunctionKey, FunctionSettings>;
  limits: {
    maxObjectBytes: number;
    maxLineBytes: number;
    segmentBytes: number;
    /** Staged rows per partition of an aggregation (`TALLY_ROWS_PER_PARTITION`). */
    rowsPerPartition: number;
    maxRowErrors: number;
  };
  environment: Record<FunctionKey, string[]>;
}

/** Where pipeline.json lives: the workspace root. */
export const PIPELINE_SETTINGS_PATH = join(__dirname, '..', '..', '..', 'pipeline.json');

type Json = Record<string, unknown>;

const objectAt = (value: unknown, path: string): Json => {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`pipeline.json: ${path} must be an object`);
  return value as Json;
};
const stringAt = (parent: Json, path: string, name: string): string => {
  const value = parent[name];
  if (typeof value !== 'string') throw new Error(`pipeline.json: ${path}.${name} must be a string`);
  return value;
};
const numberAt = (parent: Json, path: string, name: string): number => {
  const value = parent[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new Error(`pipeline.json: ${path}.${name} must be a non-negative integer`);
  }
  return value;
};
const oneOf = <T extends string>(allowed: readonly T[], value: string, path: string): T => {
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined)
    throw new Error(`pipeline.json: ${path} "${value}" is not one of ${allowed.join(', ')}`);
  return found;
};
const lambdaRuntimeAt = (parent: Json, path: string, name: string): `nodejs${number}.x` => {
  const value = stringAt(parent, path, name);
  if (!/^nodejs\d+\.x$/.test(value))
    throw new Error(`pipeline.json: ${name} "${value}" is not a Node.js runtime (nodejs<major>.x)`);
  return value as `nodejs${number}.x`;
};
const recordOf = <K extends string, V>(keys: readonly K[], build: (key: K) => V): Record<K, V> =>
  Object.fromEntries(keys.map((key) => [key, build(key)])) as Record<K, V>;

/**
 * Checks parsed pipeline.json against the shape the local stack relies on, naming the first
 * field that is missing or of the wrong type.
 */
export const parsePipelineSettings = (json: unknown): PipelineSettings => {
  const root = objectAt(json, '(root)');
  const table = objectAt(root.table, 'table');
  const queues = objectAt(root.queues, 'queues');
  const functions = objectAt(root.functions, 'functions');
  const limits = objectAt(root.limits, 'limits');
  const environment = objectAt(root.environment, 'environment');
  return {
    inputPrefix: stringAt(root, '', 'inputPrefix'),
    bucketSuffix: stringAt(root, '', 'bucketSuffix'),
    table: {
      suffix: stringAt(table, 'table', 'suffix'),
      partitionKey: stringAt(table, 'table', 'partitionKey'),
      sortKey: stringAt(table, 'table', 'sortKey'),
      ttlAttribute: stringAt(table, 'table', 'ttlAttribute'),
      ttlDays: numberAt(table, 'table', 'ttlDays'),
    },
    queues: recordOf(QUEUE_KEYS, (key) => {
      const path = `queues.${key}`;
      const queue = objectAt(queues[key], path);
      return {
        suffix: stringAt(queue, path, 'suffix'),
        visibilityTimeoutSeconds: numberAt(queue, path, 'visibilityTimeoutSeconds'),
        retentionSeconds: numberAt(queue, path, 'retentionSeconds'),
        maxReceiveCount: numberAt(queue, path, 'maxReceiveCount'),
      };
    }),
    dlqSuffix: stringAt(root, '', 'dlqSuffix'),
    dlqRetentionSeconds: numberAt(root, '', 'dlqRetentionSeconds'),
    lambdaRuntime: lambdaRuntimeAt(root, '', 'lambdaRuntime'),
    functions: recordOf(FUNCTION_KEYS, (key) => {
      const path = `functions.${key}`;
      const fn = objectAt(functions[key], path);
      return {
        suffix: stringAt(fn, path, 'suffix'),
        sourceQueue: oneOf(QUEUE_KEYS, stringAt(fn, path, 'sourceQueue'), `${path}.sourceQueue`),
        timeoutSeconds: numberAt(fn, path, 'timeoutSeconds'),
        memoryMb: numberAt(fn, path, 'memoryMb'),
        batchSize: numberAt(fn, path, 'batchSize'),
        maximumConcurrency: numberAt(fn, path, 'maximumConcurrency'),
      };
    }),
    limits: {
      maxObjectBytes: numberAt(limits, 'limits', 'maxObjectBytes'),
      maxLineBytes: numberAt(limits, 'limits', 'maxLineBytes'),
      segmentBytes: numberAt(limits, 'limits', 'segmentBytes'),
      rowsPerPartition: numberAt(limits, 'limits', 'rowsPerPartition'),
      maxRowErrors: numberAt(limits, 'limits', 'maxRowErrors'),
    },
    environment: recordOf(FUNCTION_KEYS, (key) => {
      const names = environment[key];
      if (!Array.isArray(names) || !names.every((name) => typeof name === 'string')) {
        throw new Error(`pipeline.json: environment.${key} must be an array of strings`);
      }
      return names as string[];
    }),
  };
};

/** The settings in the workspace's pipeline.json, read and checked once. */
export const pipelineSettings: PipelineSettings = parsePipelineSettings(
  JSON.parse(readFileSync(PIPELINE_SETTINGS_PATH, 'utf8')),
);
