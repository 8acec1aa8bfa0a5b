/**
 * What HKube's api-server and pipeline-driver keep in storage about a job (data-plane §2.2), written
 * headerless with the storage codec: the flowInput at `<cluster>-hkube/<jobId>/<jobId>`, the
 * descriptor at `<cluster>-hkube-execution/<jobId>/descriptor.json` and the results array at
 * `<cluster>-hkube-results/<jobId>/result.json`.
 */
import { flowInputPath, jobExecutionPath, jobResultPath } from '@hkube-ts/protocol';
import type { JobResult } from '../engine/index.js';
import type { EmulatorStorage } from './emulator-storage.js';

async function putHeaderless(storage: EmulatorStorage, path: string, value: unknown): Promise<void> {
  await storage.adapter.put(path, { payload: storage.codec.encode(value) });
}

/** Where the emulator keeps a job's descriptor. */
export function jobDescriptorPath(clusterName: string, jobId: string): string {
  return jobExecutionPath(clusterName, jobId, 'descriptor.json');
}

/** Writes the job's flowInput (when it has one) and its descriptor, as the api-server does when a job starts. */
export async function writeJobStart(storage: EmulatorStorage, jobId: string, descriptor: unknown, flowInput: unknown): Promise<void> {
  if (flowInput !== undefined && flowInput !== null) await putHeaderless(storage, flowInputPath(storage.clusterName, jobId), flowInput);
  await putHeaderless(storage, jobDescriptorPath(storage.clusterName, jobId), descriptor);
}

/** Writes `result.json`: the `data` array of a completed job (the pipeline-driver writes none otherwise). */
export async function writeJobResult(storage: EmulatorStorage, result: JobResult): Promise<void> {
  if (result.status !== 'completed') return;
  await putHeaderless(storage, jobResultPath(storage.clusterName, result.jobId), result.data);
}
