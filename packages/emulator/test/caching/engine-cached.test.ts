import { describe, expect, it } from 'vitest';
import { runJob, validatePipeline, type NormalisedPipeline, type ParentOutput, type TaskRequest } from '../../src/index.js';

// runJob's `cachedOutputs`: nodes that do not run, done from the start with a given output.
function pipeline(descriptor: Record<string, unknown>): NormalisedPipeline {
  const checked = validatePipeline(descriptor);
  if (!checked.ok) throw checked.error;
  return checked.pipeline;
}

const chain = pipeline({
  name: 'chain',
  nodes: [
    { nodeName: 'A', algorithmName: 'algo-a', input: [1] },
    { nodeName: 'B', algorithmName: 'algo-b', input: ['@A'] },
    { nodeName: 'C', algorithmName: 'algo-c', input: ['@B', '@A'] },
  ],
});

describe('runJob with cachedOutputs', () => {
  it('never runs a cached node, feeds its output to its children and leaves it out of the result', async () => {
    const ran: TaskRequest[] = [];
    const cachedOutputs = new Map<string, ParentOutput>([['A', { kind: 'single', result: 41 }]]);
    const result = await runJob(chain, {
      jobId: 'job',
      cachedOutputs,
      executeTask: (task) => {
        ran.push(task);
        return Promise.resolve({ status: 'succeed', result: task.nodeName === 'B' ? (task.input[0] as number) + 1 : task.input });
      },
    });
    expect(ran.map((task) => task.nodeName)).toEqual(['B', 'C']);
    expect(result).toMatchObject({ status: 'completed', data: [{ nodeName: 'C', result: [42, 41] }] });
  });

  it('reads batch items of a cached batch parent in order', async () => {
    const batch = pipeline({
      name: 'batch',
      nodes: [
        { nodeName: 'A', algorithmName: 'algo-a', input: ['#[1,2,3]'] },
        { nodeName: 'B', algorithmName: 'algo-b', input: ['@A'] },
      ],
    });
    const items = [1, 2, 3].map((batchIndex) => ({ batchIndex, status: 'succeed' as const, result: batchIndex * 10 }));
    const result = await runJob(batch, {
      jobId: 'job',
      cachedOutputs: new Map<string, ParentOutput>([['A', { kind: 'batch', skipped: false, items }]]),
      executeTask: (task) => Promise.resolve({ status: 'succeed', result: task.input[0] }),
    });
    expect(result).toMatchObject({ status: 'completed', data: [{ nodeName: 'B', result: [10, 20, 30] }] });
  });

  it('completes at once when every node is cached', async () => {
    const cachedOutputs = new Map<string, ParentOutput>(['A', 'B', 'C'].map((name) => [name, { kind: 'single', result: null }]));
    const result = await runJob(chain, { jobId: 'job', cachedOutputs, executeTask: () => Promise.reject(new Error('must not run')) });
    expect(result).toMatchObject({ status: 'completed', data: [] });
  });

  it('rejects a cached node whose parent runs', async () => {
    const cachedOutputs = new Map<string, ParentOutput>([['B', { kind: 'single', result: 1 }]]);
    await expect(runJob(chain, { jobId: 'job', cachedOutputs, executeTask: () => Promise.resolve({ status: 'succeed', result: 1 }) })).rejects.toThrow('cached node B has a parent that runs (A)');
  });

  it('rejects an unknown cached node and a cached wait-any parent', async () => {
    const unknown = new Map<string, ParentOutput>([['Z', { kind: 'single', result: 1 }]]);
    await expect(runJob(chain, { jobId: 'job', cachedOutputs: unknown, executeTask: () => Promise.resolve({ status: 'succeed', result: 1 }) })).rejects.toThrow('cached node Z is not in the pipeline');
    const any = pipeline({ name: 'any', nodes: [{ nodeName: 'one', algorithmName: 'algo-a', input: ['#[1,2]'] }, { nodeName: 'two', algorithmName: 'algo-b', input: ['*@one'] }] });
    const cached = new Map<string, ParentOutput>([['one', { kind: 'batch', skipped: false, items: [] }]]);
    await expect(runJob(any, { jobId: 'job', cachedOutputs: cached, executeTask: () => Promise.resolve({ status: 'succeed', result: 1 }) })).rejects.toThrow('relation waitAny for node two is not allowed');
  });
});
