import { describe, expect, it } from 'vitest';
import { StorageIdError, flowInputPath, jobExecutionPath, jobResultPath, taskOutputPath } from '../src/index.js';

describe('storage paths', () => {
  it('builds HKube’s object paths', () => {
    expect(taskOutputPath('local', 'job-1', 'green:abc')).toBe('local-hkube/job-1/green:abc');
    expect(flowInputPath('local', 'job-1')).toBe('local-hkube/job-1/job-1');
    expect(jobResultPath('prod', 'job-1')).toBe('prod-hkube-results/job-1/result.json');
  });

  it.each([
    ['', 'j', 't', 'clusterName'],
    ['local', '', 't', 'jobId'],
    ['local', 'j', '', 'taskId'],
    ['local', 'a/b', 't', 'jobId'],
    ['local', 'j', '..', 'taskId'],
    ['local', 'j', 'a\0', 'taskId'],
  ])('rejects invalid ids (%j, %j, %j)', (cluster, job, task, name) => {
    let error: unknown;
    try {
      taskOutputPath(cluster, job, task);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StorageIdError);
    expect(error).toMatchObject({ code: 'STORAGE_ID_INVALID', idName: name });
  });
});

describe('job execution records', () => {
  it('sit beside HKube’s layout and reject ids that are not one path segment', () => {
    expect(jobExecutionPath('local', 'job-1', 'run-record.json')).toBe('local-hkube-execution/job-1/run-record.json');
    expect(() => jobExecutionPath('local', '../x', 'a')).toThrow(StorageIdError);
  });
});
