/**
 * Runtime validation of W→A messages (what the wrapper receives).
 *
 * @module
 */

import type { DecodeResult } from '../errors/index.js';
import type {
  AlgorithmExecutionDoneData,
  AlgorithmExecutionErrorData,
  DataSourceResponseData,
  SubPipelineDoneData,
  SubPipelineErrorData,
  SubPipelineStartedData,
  SubPipelineStoppedData,
} from './code-api.js';
import { isWorkerCommand } from './commands.js';
import { parseEnvelope } from './envelope.js';
import {
  copyWithoutNulls,
  isPlainObject,
  join,
  mapArray,
  optionalBoolean,
  optionalNumber,
  optionalObject,
  optionalString,
  requireArray,
  requireId,
  requireObject,
  requireOneOf,
  requireString,
  requireStringOrNumber,
  type Fields,
} from './shape.js';
import type { DiscoveryChangeType, ServiceDiscoveryChange, StreamingInMessageData } from './streaming.js';
import { readInitializePayload } from './validate-initialize.js';
import { readDiscovery } from './validate-storage.js';
import type { AlreadyConnectedErrorData, StartData, WorkerCommand, WorkerMessage } from './worker-messages.js';

const DISCOVERY_CHANGE_TYPES: readonly DiscoveryChangeType[] = ['Add', 'Del'];

/**
 * Validates a decoded W→A frame and returns it normalised, or a typed error. Never throws, whatever
 * `value` is (getters that throw, proxies, cycles, primitives…), and never mutates it.
 *
 * - not a plain object with a string `command` → `InvalidMessageError` (path `''` or `command`);
 * - a command this direction does not have → `UnknownCommandError` (safe to log and ignore);
 * - a payload that breaks the documented shape → `InvalidMessageError` with the field path (`data.execId`).
 *
 * Defaults applied: `stop` → `forceStop: false`, `exit` → `exitCode: 0`, `start` → `spanId: null`,
 * `initialize` → `input: []`, `storage: {}`, `flatInput: null`; discovery ports become numbers.
 * Unknown fields are kept. User data (`input` items, `response`, `payload`) is not inspected.
 *
 * @example
 * ```ts
 * const read = parseWorkerMessage(codec.decode(frame));
 * if (!read.ok) return log.warn(read.error.message); // e.g. "'stop': data.forceStop must be a boolean (got string)"
 * switch (read.value.command) { case 'initialize': … }
 * ```
 */
export function parseWorkerMessage(value: unknown): DecodeResult<WorkerMessage> {
  return parseEnvelope(value, isWorkerCommand, decodeWorkerMessage);
}

function decodeWorkerMessage(command: WorkerCommand, message: Fields): WorkerMessage {
  switch (command) {
    case 'initialize':
      return { ...message, command, data: readInitializePayload(message.data, 'data') };
    case 'start':
      return { ...message, command, data: readStartData(message.data) };
    case 'stop': {
      const data = optionalObject(message.data, 'data') ?? {};
      return { ...message, command, data: { ...data, forceStop: optionalBoolean(data.forceStop, 'data.forceStop') ?? false } };
    }
    case 'exit': {
      const data = optionalObject(message.data, 'data') ?? {};
      return { ...message, command, data: { ...data, exitCode: optionalNumber(data.exitCode, 'data.exitCode') ?? 0 } };
    }
    case 'serviceDiscoveryUpdate':
      return { ...message, command, data: mapArray(requireArray(message.data, 'data'), 'data', readDiscoveryChange) };
    case 'subPipelineStarted':
      return { ...message, command, data: readReply(message.data, 'subPipelineId', false) as SubPipelineStartedData };
    case 'subPipelineDone':
      return { ...message, command, data: readReply(message.data, 'subPipelineId', false) as SubPipelineDoneData };
    case 'subPipelineError':
      return { ...message, command, data: readReply(message.data, 'subPipelineId', true) as SubPipelineErrorData };
    case 'subPipelineStopped':
      return { ...message, command, data: readReply(message.data, 'subPipelineId', false) as SubPipelineStoppedData };
    case 'algorithmExecutionDone':
      return { ...message, command, data: readReply(message.data, 'execId', false) as AlgorithmExecutionDoneData };
    case 'algorithmExecutionError':
      return { ...message, command, data: readReply(message.data, 'execId', true) as AlgorithmExecutionErrorData };
    case 'dataSourceResponse':
      return { ...message, command, data: readReply(message.data, 'requestId', true) as DataSourceResponseData };
    case 'streamingInMessage':
      return { ...message, command, data: readStreamingIn(message.data) };
    case 'alreadyConnectedError':
      return { ...message, command, data: readAlreadyConnected(message.data) };
  }
}

/** `{spanId}` from the worker, or the relay's whole options object; absent → `{spanId: null}`. */
function readStartData(value: unknown): StartData {
  const data = optionalObject(value, 'data');
  if (data === undefined) return { spanId: null };
  return { ...data, spanId: optionalObject(data.spanId, 'data.spanId') ?? null };
}

function readDiscoveryChange(value: unknown, path: string): ServiceDiscoveryChange {
  const entry = requireObject(value, path);
  return {
    ...entry,
    nodeName: requireId(entry.nodeName, join(path, 'nodeName')),
    address: readDiscovery(entry.address, join(path, 'address')),
    type: requireOneOf(entry.type, DISCOVERY_CHANGE_TYPES, join(path, 'type')),
  };
}

/**
 * A Code-API reply: an object echoing the request id (non-empty string). When `hasError`, `error` must be
 * a string if present (a `null` error is dropped). `response` is kept as is — the debug relay puts error
 * texts there (spec §1.6).
 */
function readReply(value: unknown, idKey: 'execId' | 'subPipelineId' | 'requestId', hasError: boolean): Record<string, unknown> {
  const data = copyWithoutNulls(requireObject(value, 'data'), hasError ? ['error'] : []);
  data[idKey] = requireId(data[idKey], join('data', idKey));
  if (hasError) optionalString(data.error, 'data.error');
  return data;
}

function readStreamingIn(value: unknown): StreamingInMessageData {
  const data = requireObject(value, 'data');
  return {
    ...data,
    payload: data.payload,
    origin: requireString(data.origin, 'data.origin'),
    sendMessageId: requireStringOrNumber(data.sendMessageId, 'data.sendMessageId'),
  };
}

/**
 * Lenient on purpose: the command itself is the signal (stop, don't reconnect), so a malformed payload
 * must not hide it. A non-string `hostname` is dropped; a non-object `data` becomes `{}`.
 */
function readAlreadyConnected(value: unknown): AlreadyConnectedErrorData {
  if (!isPlainObject(value)) return {};
  const data: Record<string, unknown> = { ...value };
  if (typeof data.hostname !== 'string') delete data.hostname;
  return data;
}
