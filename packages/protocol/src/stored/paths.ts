/**
 * HKube's storage object paths (data-plane spec §2.2): `<bucket>/<key…>`, where the bucket is
 * `<CLUSTER_NAME>-<prefix>`.
 *
 * @module
 */
import { StorageIdError } from '../errors/index.js';

/** Throws `StorageIdError` unless `value` is a non-empty string usable as one path segment. */
function checkId(name: string, value: string): void {
  if (typeof value !== 'string') throw new StorageIdError(name, value, 'not a string');
  if (value === '') throw new StorageIdError(name, value, 'empty');
  if (value.includes('/')) throw new StorageIdError(name, value, "contains '/'");
  if (value.includes('\\')) throw new StorageIdError(name, value, 'contains a backslash');
  if (value.includes('\0')) throw new StorageIdError(name, value, 'contains a NUL byte');
  if (value === '.' || value === '..') throw new StorageIdError(name, value, 'is a relative path segment');
}

/**
 * Where a task's output lives: `<cluster>-hkube/<jobId>/<taskId>` (no date folders). Code-API input
 * items use it with a generated key as `taskId`.
 *
 * @example
 * ```ts
 * taskOutputPath('local', 'job-1', 'green:abc'); // 'local-hkube/job-1/green:abc'
 * ```
 */
export function taskOutputPath(clusterName: string, jobId: string, taskId: string): string {
  checkId('clusterName', clusterName);
  checkId('jobId', jobId);
  checkId('taskId', taskId);
  return `${clusterName}-hkube/${jobId}/${taskId}`;
}

/**
 * Where the api-server stores a job's `flowInput` (headerless): `<cluster>-hkube/<jobId>/<jobId>`.
 */
export function flowInputPath(clusterName: string, jobId: string): string {
  return taskOutputPath(clusterName, jobId, jobId);
}

/**
 * Where the pipeline-driver stores a job's results (headerless): `<cluster>-hkube-results/<jobId>/result.json`.
 */
export function jobResultPath(clusterName: string, jobId: string): string {
  checkId('clusterName', clusterName);
  checkId('jobId', jobId);
  return `${clusterName}-hkube-results/${jobId}/result.json`;
}

/**
 * Where the emulator keeps a job's records (descriptor, run record) beside HKube's layout:
 * `<cluster>-hkube-execution/<jobId>/<file>`.
 */
export function jobExecutionPath(clusterName: string, jobId: string, file: string): string {
  checkId('clusterName', clusterName);
  checkId('jobId', jobId);
  checkId('file', file);
  return `${clusterName}-hkube-execution/${jobId}/${file}`;
}
