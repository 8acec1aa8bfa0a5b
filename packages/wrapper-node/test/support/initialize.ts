/** A realistic `initialize` payload, as a worker sends it (worker-protocol §4.1). */
export function initializePayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    jobId: 'job-1',
    taskId: 'task-1',
    nodeName: 'green',
    algorithmName: 'green-alg',
    pipelineName: 'simple',
    kind: 'batch',
    input: [],
    storage: {},
    flatInput: null,
    useCache: false,
    info: { extraData: {}, savePaths: [], lastRunResult: null, rootJobId: undefined },
    parents: [],
    childs: [],
    batchIndex: 0,
    priority: 3,
    status: 'creating',
    entranceTime: Date.now(),
    attempts: 0,
    spanId: { 'uber-trace-id': 'a0aa0bab5bfde7a6:7e187ec65fb04e0e:37bc77758a09b6a4:1' },
    ...overrides,
  };
}
