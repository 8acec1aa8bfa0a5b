/**
 * Reader of the `initialize` payload (spec §4.1). Internal: throws `ShapeViolation`, which
 * `parseWorkerMessage` turns into `InvalidMessageError`.
 *
 * Required: an object with non-empty string `jobId`, `taskId`, `nodeName`, `algorithmName`.
 * Normalised: `input` → array (absent → `[]`), `storage` → object (absent → `{}`), `flatInput` →
 * object or `null` (absent → `null`). Documented optional fields are type-checked when present and
 * dropped when `null`; unknown fields are kept. User data (`input` items, `spec`, `info.extraData`…)
 * is never walked.
 *
 * @internal
 * @module
 */

import type { InitializePayload, PipelineKind, RetryPolicy, StateType } from './initialize.js';
import {
  copyWithoutNulls,
  isAbsent,
  join,
  optionalBoolean,
  optionalId,
  optionalNumber,
  optionalObject,
  optionalOneOf,
  optionalString,
  optionalStringArray,
  requireArray,
  requireId,
  requireObject,
  requireOneOf,
  requireString,
  requireStringArray,
} from './shape.js';
import { readStorageLinks } from './validate-storage.js';

const PIPELINE_KINDS: readonly PipelineKind[] = ['batch', 'stream'];
const STATE_TYPES: readonly StateType[] = ['stateless', 'stateful'];
const RETRY_POLICIES: readonly RetryPolicy[] = ['Never', 'Always', 'OnError', 'OnCrash'];

/** Documented optional fields whose `null` means absent (`spanId` keeps its `null`). */
const OPTIONAL_FIELDS = [
  'pipelineName',
  'kind',
  'stateType',
  'useCache',
  'info',
  'parents',
  'childs',
  'parsedFlow',
  'defaultFlow',
  'batchIndex',
  'isScaled',
  'ttl',
  'retry',
  'metrics',
  'priority',
  'status',
  'entranceTime',
  'attempts',
  'execId',
  'parentNodeName',
] as const;

const NUMBER_FIELDS = ['batchIndex', 'ttl', 'priority', 'entranceTime', 'attempts'] as const;
const STRING_FIELDS = ['pipelineName', 'defaultFlow', 'status', 'execId', 'parentNodeName'] as const;
const BOOLEAN_FIELDS = ['useCache', 'isScaled'] as const;

function readInfo(value: unknown, path: string): void {
  const info = optionalObject(value, path);
  if (info === undefined) return;
  optionalStringArray(info.savePaths, join(path, 'savePaths'));
  optionalString(info.rootJobId, join(path, 'rootJobId'));
}

function readRetry(value: unknown, path: string): void {
  const retry = optionalObject(value, path);
  if (retry === undefined) return;
  requireOneOf(retry.policy, RETRY_POLICIES, join(path, 'policy'));
  optionalNumber(retry.limit, join(path, 'limit'));
}

function readParsedFlow(value: unknown, path: string): void {
  const flows = optionalObject(value, path);
  if (flows === undefined) return;
  for (const name of Object.keys(flows)) {
    const flowPath = join(path, name);
    const steps = requireArray(flows[name], flowPath);
    for (let i = 0; i < steps.length; i++) {
      const stepPath = join(flowPath, i);
      const step = requireObject(steps[i], stepPath);
      requireString(step.source, join(stepPath, 'source'));
      requireStringArray(step.next, join(stepPath, 'next'));
    }
  }
}

/**
 * The dot-paths of the payload's own fields under `data`, joined once: every `initialize` checks
 * about 25 of them, and building the strings per message was a kilobyte of garbage per task. Only
 * the fixed field names below are ever looked up, so the map stays small.
 */
const DATA_FIELD_PATHS = new Map<string, string>();

function dataFieldPath(key: string): string {
  let path = DATA_FIELD_PATHS.get(key);
  if (path === undefined) DATA_FIELD_PATHS.set(key, (path = join('data', key)));
  return path;
}

/** Validates and normalises an `initialize` payload found at `path` (normally `data`). */
export function readInitializePayload(value: unknown, path: string): InitializePayload {
  // Work on a shallow copy: what is checked is exactly what is returned, and the input is never mutated.
  const payload = copyWithoutNulls(requireObject(value, path), OPTIONAL_FIELDS);
  const at = path === 'data' ? dataFieldPath : (key: string): string => join(path, key);

  payload.jobId = requireId(payload.jobId, at('jobId'));
  payload.taskId = requireId(payload.taskId, at('taskId'));
  payload.nodeName = requireId(payload.nodeName, at('nodeName'));
  payload.algorithmName = requireId(payload.algorithmName, at('algorithmName'));

  payload.input = isAbsent(payload.input) ? [] : requireArray(payload.input, at('input'));
  payload.storage = readStorageLinks(payload.storage, at('storage'));
  payload.flatInput = optionalObject(payload.flatInput, at('flatInput')) ?? null;
  if (payload.spanId !== undefined) payload.spanId = optionalObject(payload.spanId, at('spanId')) ?? null;

  for (const key of STRING_FIELDS) optionalString(payload[key], at(key));
  for (const key of NUMBER_FIELDS) optionalNumber(payload[key], at(key));
  for (const key of BOOLEAN_FIELDS) optionalBoolean(payload[key], at(key));
  optionalOneOf(payload.kind, PIPELINE_KINDS, at('kind'));
  optionalOneOf(payload.stateType, STATE_TYPES, at('stateType'));
  optionalStringArray(payload.parents, at('parents'));
  optionalStringArray(payload.childs, at('childs'));
  optionalObject(payload.metrics, at('metrics'));
  optionalId(payload.execId, at('execId'));
  readInfo(payload.info, at('info'));
  readRetry(payload.retry, at('retry'));
  readParsedFlow(payload.parsedFlow, at('parsedFlow'));

  return payload as InitializePayload;
}
