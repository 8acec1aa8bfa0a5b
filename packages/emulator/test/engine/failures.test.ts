import { afterEach, describe, expect, it, vi } from 'vitest';
import { TaskStoppedError, TaskTtlExpiredError, type ExecuteTask, type TaskRequest } from '../../src/engine/index.js';
import { algorithm, byAlgorithm, node, run, runData } from './helpers.js';

/** `evalerror` of HKube's system tests. */
const evalError = algorithm(({ input }) => {
  if ((input[0] as number) > 10) throw new Error('eval error, dont know what to do');
  return 100;
});

function evalErrorPipeline(batchTolerance: number): Record<string, unknown> {
  return {
    name: 'evalerror',
    nodes: [{ nodeName: 'evalerror', algorithmName: 'eval-alg', input: ['#@flowInput.nums'] }],
    flowInput: { nums: [1, 24, 3, 4, 5] },
    options: { batchTolerance },
  };
}

/** An executor whose tasks never end on their own; it records the signals it was given. */
function hanging(signals: AbortSignal[]): ExecuteTask {
  return (_task, signal) => {
    signals.push(signal);
    return new Promise(() => undefined);
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('failures and tolerance (§7.2 D)', () => {
  it('D1: tolerance 100 keeps the failed item in the result', async () => {
    const data = await runData(evalErrorPipeline(100), { executeTask: evalError });
    expect(data).toHaveLength(5);
    expect(data[1]).toEqual({ nodeName: 'evalerror', batchIndex: 2, algorithmName: 'eval-alg', error: 'eval error, dont know what to do' });
    expect(data[0]).toEqual({ nodeName: 'evalerror', batchIndex: 1, algorithmName: 'eval-alg', result: 100 });
  });

  it('D2: tolerance 20 fails the job with HKube\'s message', async () => {
    const result = await run(evalErrorPipeline(20), { executeTask: evalError });
    expect(result).toMatchObject({
      status: 'failed',
      error: '1/5 (20%) failed tasks, batch tolerance is 20%, error: eval error, dont know what to do',
      nodeName: 'evalerror',
    });
    expect(result).not.toHaveProperty('data');
  });

  it('D3: tolerance 60 completes', async () => {
    expect((await run(evalErrorPipeline(60), { executeTask: evalError })).status).toBe('completed');
  });

  it('counts unfinished items in the total (4/5 at 70%)', async () => {
    const executeTask = algorithm(({ input }) => {
      if (input[0] !== 5) throw new Error('oooohh noooo');
      return new Promise(() => undefined);
    });
    const result = await run({ name: 'p', nodes: [node('A', ['#[1...5]'])], options: { batchTolerance: 70 } }, { executeTask });
    expect(result).toMatchObject({ status: 'failed', error: '4/5 (80%) failed tasks, batch tolerance is 70%, error: oooohh noooo' });
  });

  it('tolerance 0 fails on the first failed item; 100 only when every item failed', async () => {
    const failAll = algorithm(() => {
      throw new Error('x');
    });
    expect(await run({ name: 'p', nodes: [node('A', ['#[1...4]'])], options: { batchTolerance: 0 } }, { executeTask: evalError })).toMatchObject({
      status: 'completed',
    });
    expect(await run({ name: 'p', nodes: [node('A', ['#[1...4]'])], options: { batchTolerance: 0 } }, { executeTask: failAll })).toMatchObject({
      status: 'failed',
      error: '1/4 (25%) failed tasks, batch tolerance is 0%, error: x',
    });
    expect(await run({ name: 'p', nodes: [node('A', ['#[1...4]'])], options: { batchTolerance: 100 } }, { executeTask: failAll })).toMatchObject({
      status: 'failed',
      error: '4/4 (100%) failed tasks, batch tolerance is 100%, error: x',
    });
  });

  it('D5: a single task failure fails the job at once; its children never run', async () => {
    const ran: string[] = [];
    const executeTask = algorithm(({ nodeName }) => {
      ran.push(nodeName);
      if (nodeName === 'A') throw new Error('boom');
      return 1;
    });
    const result = await run({ name: 'p', nodes: [node('A'), node('B', ['@A'])] }, { executeTask });
    expect(result).toMatchObject({ status: 'failed', error: 'boom', nodeName: 'A' });
    expect(result).not.toHaveProperty('data');
    expect(ran).toEqual(['A']);
  });

  it('D5: running tasks of a failed job are aborted (TaskStoppedError)', async () => {
    const signals: AbortSignal[] = [];
    const executeTask = byAlgorithm({
      hang: hanging(signals),
      fail: algorithm(() => {
        throw new Error('boom');
      }),
    });
    const result = await run({ name: 'p', nodes: [{ nodeName: 'A', algorithmName: 'hang' }, { nodeName: 'B', algorithmName: 'fail' }] }, { executeTask });
    expect(result).toMatchObject({ status: 'failed', error: 'boom', nodeName: 'B' });
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(true);
    expect(signals[0]!.reason).toBeInstanceOf(TaskStoppedError);
  });

  it('D6: #@A.nope, a path missing in the output, fails the job', async () => {
    const result = await run({ name: 'p', nodes: [node('A', [1]), node('B', ['#@A.nope'])] });
    expect(result).toMatchObject({ status: 'failed', nodeName: 'B' });
    expect(result.status === 'failed' && result.error).toContain('"#@A.nope"');
  });

  it('D7: a node ttl fails the task with "Algorithm TTL expired" and aborts its signal', async () => {
    vi.useFakeTimers();
    const signals: AbortSignal[] = [];
    const pending = run({ name: 'p', nodes: [node('A', [], { ttl: 1 })] }, { executeTask: hanging(signals) });
    await vi.advanceTimersByTimeAsync(999);
    expect(signals[0]!.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const result = await pending;
    expect(result).toMatchObject({ status: 'failed', error: 'Algorithm TTL expired', nodeName: 'A' });
    expect(signals[0]!.reason).toBeInstanceOf(TaskTtlExpiredError);
  });

  it('@X on a batch parent with a tolerated failed item fails the downstream task (§7.3 #3)', async () => {
    const ran: TaskRequest[] = [];
    const executeTask = byAlgorithm({
      'eval-alg': evalError,
      echo: algorithm((task) => (ran.push(task), task.input)),
    });
    const descriptor = { ...evalErrorPipeline(100), nodes: [...(evalErrorPipeline(100)['nodes'] as unknown[]), node('sum', ['@evalerror'])] };
    const result = await run(descriptor, { executeTask });
    expect(result).toMatchObject({
      status: 'failed',
      nodeName: 'sum',
      error: 'node "sum" input "@evalerror" cannot be resolved: batch item 2 of node "evalerror" failed (eval error, dont know what to do)',
    });
    expect(ran).toEqual([]);
  });

  it('#@X on a batch parent drops the failed items', async () => {
    const executeTask = byAlgorithm({ 'eval-alg': evalError });
    const descriptor = { ...evalErrorPipeline(100), nodes: [...(evalErrorPipeline(100)['nodes'] as unknown[]), node('each', ['#@evalerror'])] };
    const data = await runData(descriptor, { executeTask });
    expect(data.filter((entry) => entry['nodeName'] === 'each').map((entry) => entry['result'])).toEqual([[100], [100], [100], [100]]);
  });

  it('treats a thrown executor, a rejected promise and an invalid outcome as failures', async () => {
    const throwing: ExecuteTask = () => {
      throw new Error('sync');
    };
    const rejecting: ExecuteTask = () => Promise.reject(new Error('async'));
    const garbage = (() => Promise.resolve({ nope: true })) as unknown as ExecuteTask;
    expect(await run({ name: 'p', nodes: [node('A')] }, { executeTask: throwing })).toMatchObject({ status: 'failed', error: 'sync' });
    expect(await run({ name: 'p', nodes: [node('A')] }, { executeTask: rejecting })).toMatchObject({ status: 'failed', error: 'async' });
    expect(await run({ name: 'p', nodes: [node('A')] }, { executeTask: garbage })).toMatchObject({
      status: 'failed',
      error: 'the task executor returned an invalid outcome',
    });
  });

  it('fails a task whose result is circular', async () => {
    const executeTask = algorithm(() => {
      const value: Record<string, unknown> = {};
      value['self'] = value;
      return value;
    });
    const result = await run({ name: 'p', nodes: [node('A')] }, { executeTask });
    expect(result).toMatchObject({ status: 'failed', nodeName: 'A' });
    expect(result.status === 'failed' && result.error).toMatch(/circular/);
  });

  it('runs a stream pipeline as a stream job: a failed stateless task does not fail it (§4)', async () => {
    const { runJob, validatePipeline } = await import('../../src/engine/index.js');
    const checked = validatePipeline({
      name: 's',
      kind: 'stream',
      nodes: [node('A', [], { stateType: 'stateful', minStatelessCount: 0 }), node('B', [], { stateType: 'stateless', minStatelessCount: 1, algorithmName: 'boom' })],
      streaming: { flows: { main: 'A >> B' } },
    });
    if (!checked.ok) expect.fail(checked.error.message);
    let failedB: () => void = () => undefined;
    const bFailed = new Promise<void>((resolve) => (failedB = resolve));
    const result = await runJob(checked.pipeline, {
      jobId: 'j',
      executeTask: async (task) => {
        if (task.nodeName === 'B') {
          failedB();
          return { status: 'failed', error: 'boom' };
        }
        await bFailed;
        return { status: 'succeed', result: 'A done' };
      },
    });
    expect(result).toMatchObject({ status: 'completed', data: [{ nodeName: 'A', result: 'A done' }] });
  });
});

describe('stopping (§7.2 H3)', () => {
  it('H3: aborting the signal stops the job and its running tasks', async () => {
    const signals: AbortSignal[] = [];
    const controller = new AbortController();
    const pending = run({ name: 'p', nodes: [node('A', ['#[1,2]']), node('B', ['@A'])] }, { executeTask: hanging(signals), signal: controller.signal });
    await Promise.resolve();
    controller.abort();
    const result = await pending;
    expect(result).toMatchObject({ status: 'stopped', reason: 'stopped due to request' });
    expect(result).not.toHaveProperty('data');
    expect(signals).toHaveLength(2);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
  });

  it('takes a string reason, and stops at once when already aborted', async () => {
    const controller = new AbortController();
    const pending = run({ name: 'p', nodes: [node('A')] }, { executeTask: hanging([]), signal: controller.signal });
    controller.abort('enough');
    expect(await pending).toMatchObject({ status: 'stopped', reason: 'enough' });
    const ran: string[] = [];
    const result = await run({ name: 'p', nodes: [node('A')] }, { executeTask: algorithm((t) => ran.push(t.nodeName)), signal: AbortSignal.abort() });
    expect(result).toMatchObject({ status: 'stopped', reason: 'stopped due to request' });
    expect(ran).toEqual([]);
  });

  it('stops the job when options.ttl expires', async () => {
    vi.useFakeTimers();
    const pending = run({ name: 'p', nodes: [node('A')], options: { ttl: 5 } }, { executeTask: hanging([]) });
    await vi.advanceTimersByTimeAsync(5000);
    expect(await pending).toMatchObject({ status: 'stopped', reason: 'pipeline expired' });
  });
});
