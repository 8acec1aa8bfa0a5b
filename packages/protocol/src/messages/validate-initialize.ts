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
  isPlainObject,
  join,
  optionalId,
  optionalNumber,
  optionalObject,
  optionalOneOf,
  optionalPrimitive,
  optionalString,
  optionalStringArray,
  requireArray,
  requireIdField,
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

/** Validates and normalises an `initialize` payload found at `path` (normally `data`). */
export function readInitializePayload(value: unknown, path: string): InitializePayload {
  // Work on a shallow copy: what is checked is exactly what is returned, and the input is never mutated.
  const payload = copyWithoutNulls(requireObject(value, path), OPTIONAL_FIELDS);
  // Every initialize checks about 25 fields: their paths are joined only for a field that is present
  // and not trivially valid, or to report a violation (strings per message were a kilobyte per task).
  const at = (key: string): string => join(path, key);

  payload.jobId = requireIdField(payload, 'jobId', path);
  payload.taskId = requireIdField(payload, 'taskId', path);
  payload.nodeName = requireIdField(payload, 'nodeName', path);
  payload.algorithmName = requireIdField(payload, 'algorithmName', path);

  const { input, storage, flatInput, spanId } = payload;
  payload.input = isAbsent(input) ? [] : Array.isArray(input) ? input : requireArray(input, at('input'));
  payload.storage = isEmptyObject(storage) ? {} : readStorageLinks(storage, at('storage'));
  payload.flatInput = isAbsent(flatInput) ? null : requireObject(flatInput, at('flatInput'));
  if (spanId !== undefined) payload.spanId = isAbsent(spanId) ? null : requireObject(spanId, at('spanId'));

  optionalPrimitive(payload.pipelineName, 'string', path, 'pipelineName');
  optionalPrimitive(payload.defaultFlow, 'string', path, 'defaultFlow');
  optionalPrimitive(payload.status, 'string', path, 'status');
  optionalPrimitive(payload.execId, 'string', path, 'execId');
  optionalPrimitive(payload.parentNodeName, 'string', path, 'parentNodeName');
  optionalPrimitive(payload.batchIndex, 'number', path, 'batchIndex');
  optionalPrimitive(payload.ttl, 'number', path, 'ttl');
  optionalPrimitive(payload.priority, 'number', path, 'priority');
  optionalPrimitive(payload.entranceTime, 'number', path, 'entranceTime');
  optionalPrimitive(payload.attempts, 'number', path, 'attempts');
  optionalPrimitive(payload.useCache, 'boolean', path, 'useCache');
  optionalPrimitive(payload.isScaled, 'boolean', path, 'isScaled');
  const { kind, stateType, parents, childs, metrics, execId, info, retry, parsedFlow } = payload;
  if (kind !== undefined && kind !== 'batch') optionalOneOf(kind, PIPELINE_KINDS, at('kind'));
  if (stateType !== undefined) optionalOneOf(stateType, STATE_TYPES, at('stateType'));
  if (!isStringArray(parents)) optionalStringArray(parents, at('parents'));
  if (!isStringArray(childs)) optionalStringArray(childs, at('childs'));
  if (metrics !== undefined) optionalObject(metrics, at('metrics'));
  if (execId !== undefined) optionalId(execId, at('execId'));
  if (info !== undefined) readInfo(info, at('info'));
  if (retry !== undefined) readRetry(retry, at('retry'));
  if (parsedFlow !== undefined) readParsedFlow(parsedFlow, at('parsedFlow'));

  return payload as InitializePayload;
}

/** `undefined`, `null` or `{}` (the usual `storage` of a task without references). */
function isEmptyObject(value: unknown): boolean {
  if (isAbsent(value)) return true;
  if (!isPlainObject(value)) return false;
  for (const key in value) if (Object.hasOwn(value, key)) return false;
  return true;
}

/** Absent, or an array of strings: the common `parents` / `childs`, checked without a path. */
function isStringArray(value: unknown): boolean {
  if (isAbsent(value)) return true;
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'string') return false;
  return true;
}
