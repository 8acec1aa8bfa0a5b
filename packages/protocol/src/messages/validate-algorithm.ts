/**
 * Runtime validation of A→W messages (what a worker, the emulator or the debug relay receives).
 *
 * @module
 */

import type { DecodeResult } from '../errors/index.js';
import type { AlgorithmCommand, AlgorithmMessage, ErrorPayload, ProgressData } from './algorithm-messages.js';
import type {
  DataSourceRequestData,
  FinishSpanData,
  StartAlgorithmExecutionData,
  StartRawSubPipelineData,
  StartSpanData,
  StartStoredSubPipelineData,
  StopAlgorithmExecutionData,
  StopSubPipelineData,
} from './code-api.js';
import { isAlgorithmCommand } from './commands.js';
import { parseEnvelope } from './envelope.js';
import {
  copyWithoutNulls,
  isAbsent,
  join,
  mapArray,
  optionalArray,
  optionalBoolean,
  optionalId,
  optionalNumber,
  optionalObject,
  optionalString,
  requireArray,
  requireId,
  requireNumber,
  requireNumberArray,
  requireObject,
  requireString,
  requireStringArray,
  requireStringOrNumber,
  ShapeViolation,
  type Fields,
} from './shape.js';
import type { StreamingInMessageDoneData, StreamingOutMessageData, StreamingStatisticsEntry } from './streaming.js';
import { readStorageDescriptor, readStorageLinks } from './validate-storage.js';

/**
 * Validates a decoded A→W frame and returns it normalised, or a typed error. Never throws, whatever
 * `value` is, and never mutates it.
 *
 * - not a plain object with a string `command` → `InvalidMessageError`;
 * - a command this direction does not have → `UnknownCommandError`;
 * - a payload that breaks the documented shape → `InvalidMessageError` with the field path
 *   (`error.message`, `data.execId`, `data.2.nodeName`…).
 *
 * Defaults applied: `errorMessage` → `error.code: 'Failed'`; `servingStatus` → `true`; `finishSpan` →
 * `{}`; `streamingStatistics` counters → `0` and duration lists → `[]` (as the worker does);
 * `streamingOutMessage` → `sendMessageId: null`. Ignored payloads (`initialized`, `started`, `done`,
 * `stopping`, `stopped`, `alive`) pass through untouched; results are never inspected.
 *
 * @example
 * ```ts
 * const read = parseAlgorithmMessage(codec.decode(frame));
 * if (read.ok && read.value.command === 'storing') recordResult(read.value.data.storageInfo.path);
 * ```
 */
export function parseAlgorithmMessage(value: unknown): DecodeResult<AlgorithmMessage> {
  return parseEnvelope(value, isAlgorithmCommand, decodeAlgorithmMessage);
}

function decodeAlgorithmMessage(command: AlgorithmCommand, message: Fields): AlgorithmMessage {
  switch (command) {
    case 'initialized':
      return { ...message, command };
    case 'started':
      return { ...message, command };
    case 'done':
      return { ...message, command };
    case 'stopping':
      return { ...message, command };
    case 'stopped':
      return { ...message, command };
    case 'alive':
      return { ...message, command };
    case 'storing':
      return { ...message, command, data: readStorageDescriptor(message.data, 'data') };
    case 'errorMessage':
      return { ...message, command, error: readErrorPayload(message.error) };
    case 'progress': {
      const data = requireObject(message.data, 'data');
      const progress: ProgressData = { ...data, progress: requireNumber(data.progress, 'data.progress') };
      return { ...message, command, data: progress };
    }
    case 'servingStatus':
      return { ...message, command, data: optionalBoolean(message.data, 'data') ?? true };
    case 'streamingStatistics':
      return { ...message, command, data: mapArray(requireArray(message.data, 'data'), 'data', readStatistics) };
    case 'dataSourceRequest':
      return { ...message, command, data: readDataSourceRequest(message.data) };
    case 'startAlgorithmExecution':
      return { ...message, command, data: readStartAlgorithm(message.data) };
    case 'stopAlgorithmExecution':
      return { ...message, command, data: readStopRequest(message.data, 'execId') as StopAlgorithmExecutionData };
    case 'startRawSubPipeline':
      return { ...message, command, data: readStartSubPipeline(message.data) as StartRawSubPipelineData };
    case 'startStoredSubPipeline':
      return { ...message, command, data: readStartSubPipeline(message.data) as StartStoredSubPipelineData };
    case 'stopSubPipeline':
      return { ...message, command, data: readStopRequest(message.data, 'subPipelineId') as StopSubPipelineData };
    case 'startSpan':
      return { ...message, command, data: readStartSpan(message.data) };
    case 'finishSpan':
      return { ...message, command, data: readFinishSpan(message.data) };
    case 'logData':
      return { ...message, command, data: requireStringArray(message.data, 'data') };
    case 'streamingOutMessage':
      return { ...message, command, data: readStreamingOut(message.data) };
    case 'streamingInMessageDone': {
      const data = requireObject(message.data, 'data');
      const done: StreamingInMessageDoneData = {
        ...data,
        sendMessageId: requireStringOrNumber(data.sendMessageId, 'data.sendMessageId'),
      };
      return { ...message, command, data: done };
    }
  }
}

/** `{code, message, details?}`: `message` must be a string, `code` defaults to `Failed`. */
function readErrorPayload(value: unknown): ErrorPayload {
  const error = requireObject(value, 'error');
  return {
    ...error,
    code: optionalString(error.code, 'error.code') ?? 'Failed',
    message: requireString(error.message, 'error.message'),
  };
}

function readStatistics(value: unknown, path: string): StreamingStatisticsEntry {
  const entry = requireObject(value, path);
  const count = (key: string): number => optionalNumber(entry[key], join(path, key)) ?? 0;
  const list = (key: string): number[] => (isAbsent(entry[key]) ? [] : requireNumberArray(entry[key], join(path, key)));
  return {
    ...entry,
    nodeName: requireId(entry.nodeName, join(path, 'nodeName')),
    sent: count('sent'),
    queueSize: count('queueSize'),
    responses: count('responses'),
    dropped: count('dropped'),
    netDurations: list('netDurations'),
    durations: list('durations'),
    queueDurations: list('queueDurations'),
  };
}

function readDataSourceRequest(value: unknown): DataSourceRequestData {
  const data = requireObject(value, 'data');
  const requestId = requireId(data.requestId, 'data.requestId');
  const dataSource = copyWithoutNulls(requireObject(data.dataSource, 'data.dataSource'), ['dataSourceId', 'snapshotId']);
  const dataSourceId = optionalId(dataSource.dataSourceId, 'data.dataSource.dataSourceId');
  const snapshotId = optionalId(dataSource.snapshotId, 'data.dataSource.snapshotId');
  if (dataSourceId === undefined && snapshotId === undefined) {
    throw new ShapeViolation('data.dataSource', "must have a non-empty 'dataSourceId' or 'snapshotId'");
  }
  return { ...data, requestId, dataSource: dataSource as DataSourceRequestData['dataSource'] };
}

function readStartAlgorithm(value: unknown): StartAlgorithmExecutionData {
  const data = copyWithoutNulls(requireObject(value, 'data'), ['input', 'storageInput', 'storage', 'includeResult']);
  data.execId = requireId(data.execId, 'data.execId');
  data.algorithmName = requireId(data.algorithmName, 'data.algorithmName');
  optionalArray(data.input, 'data.input');
  optionalArray(data.storageInput, 'data.storageInput');
  if (data.storage !== undefined) data.storage = readStorageLinks(data.storage, 'data.storage');
  optionalBoolean(data.includeResult, 'data.includeResult');
  return data as StartAlgorithmExecutionData;
}

/** `stopAlgorithmExecution` / `stopSubPipeline`: the id plus an optional string `reason`. */
function readStopRequest(value: unknown, idKey: 'execId' | 'subPipelineId'): Record<string, unknown> {
  const data = copyWithoutNulls(requireObject(value, 'data'), ['reason']);
  data[idKey] = requireId(data[idKey], join('data', idKey));
  optionalString(data.reason, 'data.reason');
  return data;
}

/** Both sub-pipeline starts: id, `subPipeline` object (its content is the api-server's business), `includeResult?`. */
function readStartSubPipeline(value: unknown): Record<string, unknown> {
  const data = copyWithoutNulls(requireObject(value, 'data'), ['includeResult']);
  data.subPipelineId = requireId(data.subPipelineId, 'data.subPipelineId');
  const subPipeline = copyWithoutNulls(requireObject(data.subPipeline, 'data.subPipeline'), ['name']);
  optionalString(subPipeline.name, 'data.subPipeline.name');
  data.subPipeline = subPipeline;
  optionalBoolean(data.includeResult, 'data.includeResult');
  return data;
}

function readStartSpan(value: unknown): StartSpanData {
  const data = copyWithoutNulls(requireObject(value, 'data'), ['tags']);
  optionalObject(data.tags, 'data.tags');
  return { ...data, name: requireId(data.name, 'data.name') };
}

function readFinishSpan(value: unknown): FinishSpanData {
  const data = copyWithoutNulls(optionalObject(value, 'data') ?? {}, ['tags']);
  optionalObject(data.tags, 'data.tags');
  return data;
}

function readStreamingOut(value: unknown): StreamingOutMessageData {
  const data = copyWithoutNulls(requireObject(value, 'data'), ['flowName']);
  optionalString(data.flowName, 'data.flowName');
  const id = data.sendMessageId;
  return {
    ...data,
    message: data.message,
    sendMessageId: isAbsent(id) ? null : requireStringOrNumber(id, 'data.sendMessageId'),
  };
}
