/**
 * The `initialize` payload of a child task started with `startAlgorithmExecution` (worker-protocol
 * §6.2 step 3–4): node `<caller>:<algorithm>`, `parentNodeName`, `execId`, `retry: Never`, the caller's
 * `info` without `extraData`. A v3 child gets `$$` links (the caller's, or the inline items written
 * to storage); a v1 child gets values (links resolved from storage).
 */
import type { InitializePayload, StorageLinks } from '@hkube-ts/protocol';
import { flatten, resolveInput, writeCodeApiInput } from '@hkube-ts/wrapper-node';
import type { TaskInfo } from '../engine/index.js';
import type { EmulatorStorage } from '../storage/emulator-storage.js';
import type { ChildExecutionRequest } from './algorithm-executions.js';

/** The calling task, as its children need it. */
export interface ParentTask {
  readonly jobId: string;
  readonly taskId: string;
  readonly nodeName: string;
  readonly pipelineName: string;
  readonly info: TaskInfo;
  readonly priority?: number;
}

/** The node name of a child execution: `<caller node>:<algorithm>`. */
export function childNodeName(parent: ParentTask, algorithmName: string): string {
  return `${parent.nodeName}:${algorithmName}`;
}

/** The `info` a child inherits: the caller's, without `extraData` (and without `savePaths`: no node references it). */
export function childInfo(parent: ParentTask): Omit<TaskInfo, 'extraData' | 'savePaths'> {
  const { extraData: _dropped, savePaths: _none, ...info } = parent.info;
  return info;
}

async function childInput(
  request: ChildExecutionRequest, storageMode: 'v1' | 'v3', jobId: string, storage: EmulatorStorage, signal: AbortSignal,
): Promise<{ input: unknown[]; storage: StorageLinks; flatInput: Record<string, unknown> | null }> {
  const { storageInput, storage: links } = request;
  const codec = storage.codec;
  if (storageMode === 'v1') {
    if (storageInput === undefined) return { input: [...request.input], storage: {}, flatInput: null };
    const input = await resolveInput({ input: storageInput, storage: links ?? {}, jobId, clusterName: storage.clusterName }, { storage: storage.adapter, codec, signal });
    return { input, storage: {}, flatInput: null };
  }
  if (storageInput !== undefined) return { input: [...storageInput], storage: links ?? {}, flatInput: flatten(storageInput) };
  if (request.input.length === 0) return { input: [], storage: {}, flatInput: {} };
  const written = await writeCodeApiInput({ input: request.input, jobId, clusterName: storage.clusterName }, { storage: storage.adapter, codec, signal });
  return { input: [...written.storageInput], storage: written.storage, flatInput: flatten(written.storageInput) };
}

/** Builds the `initialize` payload of a child task for a wrapper in `storageMode`. */
export async function buildChildPayload(
  parent: ParentTask, taskId: string, request: ChildExecutionRequest, storageMode: 'v1' | 'v3', storage: EmulatorStorage, signal: AbortSignal,
): Promise<InitializePayload> {
  const input = await childInput(request, storageMode, parent.jobId, storage, signal);
  return {
    jobId: parent.jobId,
    taskId,
    nodeName: childNodeName(parent, request.algorithmName),
    algorithmName: request.algorithmName,
    pipelineName: parent.pipelineName,
    kind: 'batch',
    info: { ...childInfo(parent), savePaths: [] },
    parents: [],
    childs: [],
    batchIndex: 0,
    retry: { policy: 'Never' },
    execId: request.execId,
    parentNodeName: parent.nodeName,
    ...(parent.priority === undefined ? {} : { priority: parent.priority }),
    status: 'creating',
    entranceTime: Date.now(),
    useCache: false,
    spanId: null,
    ...input,
  };
}
