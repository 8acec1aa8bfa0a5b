/**
 * The two ends of a task's result in storage: what a v1 worker writes itself, and reading back what a
 * v3 wrapper reported in `storing` (worker-protocol §4.3).
 */
import { encodeStored } from '@hkube-ts/protocol';
import { taskOutputPath } from '@hkube-ts/protocol';
import { readStoredValue } from '@hkube-ts/wrapper-node';
import { TaskResultReadError } from '../errors.js';
import type { EmulatorStorage } from './emulator-storage.js';

/** The storage path of a `storing` descriptor, if it has one. */
export function descriptorPath(descriptor: unknown): string | undefined {
  if (typeof descriptor !== 'object' || descriptor === null) return undefined;
  const info = (descriptor as { storageInfo?: unknown }).storageInfo;
  if (typeof info !== 'object' || info === null) return undefined;
  const path = (info as { path?: unknown }).path;
  return typeof path === 'string' && path !== '' ? path : undefined;
}

/**
 * Reads the value a v3 wrapper stored for a task, from the `storing` descriptor it sent.
 *
 * @throws {TaskResultReadError} when the descriptor has no path or the object cannot be read.
 */
export async function readTaskResult(storage: EmulatorStorage, taskId: string, descriptor: unknown, signal?: AbortSignal): Promise<unknown> {
  const path = descriptorPath(descriptor);
  if (path === undefined) throw new TaskResultReadError(taskId, undefined, { cause: new Error('the storing descriptor has no storageInfo.path') });
  try {
    return await readStoredValue(path, { storage: storage.adapter, codec: storage.codec, signal });
  } catch (cause) {
    throw new TaskResultReadError(taskId, path, { cause });
  }
}

/**
 * What a v1 worker does with `done.data`: encodes it with the storage codec and the `HK` header and
 * writes it at `<cluster>-hkube/<jobId>/<taskId>`. Returns the descriptor it records.
 */
export async function writeWorkerResult(storage: EmulatorStorage, jobId: string, taskId: string, value: unknown, signal?: AbortSignal): Promise<{ storageInfo: { path: string; size: number } }> {
  const path = taskOutputPath(storage.clusterName, jobId, taskId);
  const stored = encodeStored(value, storage.codec);
  await storage.adapter.put(path, stored, signal);
  return { storageInfo: { path, size: stored.payload.length } };
}
