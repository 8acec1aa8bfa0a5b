/**
 * The parts of HKube's OpenAPI pipeline schema (`pipeline.yaml`, `pipelineNode.yaml`, `options.yaml`,
 * `webhooks.yaml`) the emulator checks, in the schema's property order (ajv reports the first error).
 */
import type { Schema } from './schema.js';

const string: Schema = { type: 'string' };
const stringArray: Schema = { type: 'array', items: string };

/** Node kinds, in the order HKube's error message lists them. */
export const NODE_KINDS = ['algorithm', 'pipeline', 'debug', 'dataSource', 'gateway', 'output', 'hyperparamsTuner'] as const;

/** Progress levels, from the most to the least verbose. */
export const PROGRESS_LEVELS = ['trace', 'debug', 'info', 'warning', 'error', 'critical'] as const;

const nodeSchema: Schema = {
  type: 'object',
  required: ['nodeName'],
  properties: {
    nodeName: { type: 'string', minLength: 1 },
    algorithmName: { type: 'string', format: 'algorithm-name' },
    input: { type: 'array' },
    kind: { type: 'string', enum: NODE_KINDS },
    batchOperation: { type: 'string', enum: ['indexed', 'cartesian'] },
    includeInResults: { type: 'boolean' },
    includeInResult: { type: 'boolean' },
    ttl: { type: 'integer', minimum: 0 },
    retry: {
      type: 'object',
      properties: { policy: { type: 'string', enum: ['Never', 'Always', 'OnError', 'OnCrash'] }, limit: { type: 'integer', minimum: 0 } },
    },
    stateType: { type: 'string', enum: ['stateful', 'stateless'] },
    minStatelessCount: { type: 'integer', minimum: 0 },
    maxStatelessCount: { type: 'integer', minimum: 0, nullable: true },
    spec: { type: 'object' },
    metrics: { type: 'object', properties: { tensorboard: { type: 'boolean' } } },
  },
};

const optionsSchema: Schema = {
  type: 'object',
  properties: {
    batchTolerance: { type: 'integer', minimum: 0, maximum: 100 },
    concurrentPipelines: {
      type: 'object',
      required: ['amount'],
      properties: { amount: { type: 'integer', minimum: 1, maximum: 10000 }, rejectOnFailure: { type: 'boolean' } },
    },
    ttl: { type: 'integer', minimum: 0 },
    activeTtl: { type: 'integer', minimum: 1 },
    progressVerbosityLevel: { type: 'string', enum: PROGRESS_LEVELS },
    debugOverride: stringArray,
  },
};

/** The pipeline descriptor schema. */
export const PIPELINE_SCHEMA: Schema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, format: 'pipeline-name' },
    kind: { type: 'string', enum: ['batch', 'stream'] },
    experimentName: string,
    description: string,
    nodes: { type: 'array', items: nodeSchema },
    flowInput: { type: 'object', nullable: true },
    webhooks: {
      type: 'object',
      additionalProperties: false,
      properties: { progress: { type: 'string', format: 'url' }, result: { type: 'string', format: 'url' } },
    },
    options: optionsSchema,
    priority: { type: 'integer', minimum: 1, maximum: 5 },
    tags: stringArray,
    streaming: { type: 'object', properties: { flows: { type: 'object' }, defaultFlow: string } },
    edges: {
      type: 'array',
      items: { type: 'object', required: ['source', 'target'], properties: { source: string, target: string } },
    },
  },
};

/** The schema of a `hyperparamsTuner` node's `spec` (the fields the emulator relies on). */
export const TUNER_SPEC_SCHEMA: Schema = {
  type: 'object',
  required: ['numberOfTrials', 'objectivePipeline'],
  properties: {
    numberOfTrials: { type: 'integer', minimum: 1 },
    objectivePipeline: string,
    hyperParams: { type: 'array' },
    sampler: { type: 'object', properties: { name: { type: 'string', enum: ['Grid', 'PartialFixed', 'Random', 'TPE', 'CmaEs'] } } },
  },
};
