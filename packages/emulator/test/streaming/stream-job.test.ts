import { describe, expect, it } from 'vitest';
import {
  runJob, TaskScaledDownError, TaskStoppedError, type EdgeStatistics, type ExecuteTask, type JobResult, type ProducerReport, type TaskHooks, type TaskOutcome, type TaskRequest,
} from '../../src/engine/index.js';
import { valid } from '../engine/helpers.js';

/** A task handed to the scripted executor, which the test ends by hand. */
interface Running {
  readonly task: TaskRequest;
  readonly signal: AbortSignal;
  readonly hooks: TaskHooks | undefined;
  readonly end: (outcome: TaskOutcome) => void;
}

/**
 * An executor whose tasks run until the test ends them; `next(node)` resolves with the node's next task
 * not handed out yet (started already, or when it starts).
 */
function scripted(): { executeTask: ExecuteTask; tasks: Running[]; next: (nodeName: string) => Promise<Running> } {
  const tasks: Running[] = [];
  const claimed = new Set<Running>();
  const waiting: { nodeName: string; resolve: (running: Running) => void }[] = [];
  const executeTask: ExecuteTask = (task, signal, hooks) =>
    new Promise<TaskOutcome>((resolve) => {
      const running: Running = { task, signal, hooks, end: resolve };
      tasks.push(running);
      const index = waiting.findIndex((w) => w.nodeName === task.nodeName);
      if (index >= 0) {
        claimed.add(running);
        waiting.splice(index, 1)[0]!.resolve(running);
      }
      signal.addEventListener('abort', () => resolve({ status: 'failed', error: 'stopped' }), { once: true });
    });
  const next = (nodeName: string): Promise<Running> => {
    const ready = tasks.find((running) => running.task.nodeName === nodeName && !claimed.has(running));
    if (ready !== undefined) {
      claimed.add(ready);
      return Promise.resolve(ready);
    }
    return new Promise((resolve) => waiting.push({ nodeName, resolve }));
  };
  return { executeTask, tasks, next };
}

function report(nodeName: string, fields: Partial<ProducerReport> = {}): ProducerReport {
  return { nodeName, sent: 0, queueSize: 0, responses: 0, dropped: 0, netDurations: [], durations: [], queueDurations: [], ...fields };
}

// The tweet flows of HKube's streaming docs (pipeline-semantics §1.6).
const tweets = {
  name: 'tweets',
  kind: 'stream',
  nodes: [
    { nodeName: 'twitt', algorithmName: 'twitt', stateType: 'stateful', input: ['@flowInput.count'] },
    { nodeName: 'sort', algorithmName: 'sort', stateType: 'stateful' },
    { nodeName: 'A', algorithmName: 'enrich', stateType: 'stateless', minStatelessCount: 2 },
    { nodeName: 'B', algorithmName: 'enrich', stateType: 'stateless', maxStatelessCount: 3 },
  ],
  streaming: { flows: { analyze: 'sort >> A', master: 'twitt >> sort >> B' }, defaultFlow: 'master' },
  flowInput: { count: 10 },
};

function start(options: { statefulRetryLimit?: number; signal?: AbortSignal } = {}) {
  const executor = scripted();
  const snapshots: (readonly EdgeStatistics[])[] = [];
  const result: Promise<JobResult> = runJob(valid(tweets), {
    jobId: 'job',
    executeTask: executor.executeTask,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    streaming: { autoscaleIntervalMs: 5, onStatistics: (edges) => snapshots.push(edges), ...(options.statefulRetryLimit === undefined ? {} : { statefulRetryLimit: options.statefulRetryLimit }) },
  });
  return { ...executor, snapshots, result };
}

describe('a stream job (pipeline-semantics §4)', () => {
  it('starts every stateful node and minStatelessCount replicas, with the stream fields of their job data', async () => {
    const job = start();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(job.tasks.map((t) => t.task.nodeName)).toEqual(['twitt', 'sort', 'A', 'A']);
    const [twitt, sort, a1, a2] = job.tasks.map((t) => t.task);
    expect(twitt).toMatchObject({ kind: 'stream', input: [10], parents: [], childs: ['sort'], stream: { stateType: 'stateful', defaultFlow: 'master' } });
    expect(twitt!.stream!.parsedFlow).toEqual({ analyze: [{ source: 'sort', next: ['A'] }], master: [{ source: 'twitt', next: ['sort'] }, { source: 'sort', next: ['B'] }] });
    expect(sort).toMatchObject({ parents: ['twitt'], childs: ['A', 'B'] });
    expect([a1, a2].map((t) => [t!.batchIndex, t!.stream!.isScaled, t!.stream!.stateType])).toEqual([[1, true, 'stateless'], [2, true, 'stateless']]);
    job.tasks[0]!.end({ status: 'succeed', result: { sent: 10 } });
    await job.result;
  });

  it('scales a stateless node up when messages wait for it, and down to its minimum when idle', async () => {
    const job = start();
    const sort = await job.next('sort');
    const firstB = job.next('B');
    sort.hooks!.onStatistics!([report('B', { queueSize: 4 }), report('A', { sent: 1 })]);
    const b = await firstB;
    expect(b.task.stream).toMatchObject({ stateType: 'stateless' });
    expect(b.task.parents).toEqual(['sort']);
    // Everything answered and nothing comes any more: B goes back to 0 replicas, gracefully.
    sort.hooks!.onStatistics!([report('B', { sent: 4, responses: 4, durations: [5] })]);
    await new Promise<void>((resolve) => b.signal.addEventListener('abort', () => resolve(), { once: true }));
    expect(b.signal.reason).toBeInstanceOf(TaskScaledDownError);
    // A keeps its two minimum replicas.
    expect(job.tasks.filter((t) => t.task.nodeName === 'A' && !t.signal.aborted)).toHaveLength(2);
    const twitt = job.tasks.find((t) => t.task.nodeName === 'twitt')!;
    twitt.end({ status: 'succeed', result: 'done' });
    await job.result;
  });

  it('completes when a stateful start returns, with its result, and force-stops every other task', async () => {
    const job = start();
    const sort = await job.next('sort');
    const twitt = job.tasks.find((t) => t.task.nodeName === 'twitt')!;
    twitt.hooks!.onStatistics!([report('sort', { sent: 10, responses: 10 })]);
    sort.end({ status: 'succeed', result: { routed: 10 } });
    const result = await job.result;
    expect(result).toMatchObject({ status: 'completed', data: [{ nodeName: 'sort', algorithmName: 'sort', result: { routed: 10 } }] });
    expect(twitt.signal.reason).toBeInstanceOf(TaskStoppedError);
    expect(job.tasks.filter((t) => t.task.nodeName === 'A').every((t) => t.signal.aborted)).toBe(true);
    expect(job.snapshots.at(-1)!.find((edge) => edge.source === 'twitt')).toMatchObject({ target: 'sort', sent: 10, responses: 10, replicas: 0 });
  });

  it('never fails for a stateless failure; restarts a failed stateful task, and fails once none is left', async () => {
    const job = start({ statefulRetryLimit: 1 });
    const sort = await job.next('sort');
    job.tasks.find((t) => t.task.nodeName === 'A')!.end({ status: 'failed', error: 'enrich broke' });
    const sortAgain = job.next('sort');
    sort.end({ status: 'failed', error: 'sort broke' });
    (await sortAgain).end({ status: 'failed', error: 'sort broke again' });
    (await job.next('twitt')).end({ status: 'failed', error: 'twitt broke' });
    const twittAgain = await job.next('twitt');
    twittAgain.end({ status: 'failed', error: 'twitt broke again' });
    expect(await job.result).toMatchObject({ status: 'failed', nodeName: 'twitt', error: 'every stateful node of the stream job has failed (last: twitt broke again)' });
  });

  it('fails a task past its node ttl (Algorithm TTL expired); a stateless replica just ends', async () => {
    const pipeline = valid({ ...tweets, nodes: tweets.nodes.map((node) => (node.nodeName === 'A' ? { ...node, ttl: 1 } : node)) });
    const executor = scripted();
    const result = runJob(pipeline, { jobId: 'job', executeTask: executor.executeTask, streaming: { autoscaleIntervalMs: 60_000 } });
    const a = await executor.next('A');
    await new Promise<void>((resolve) => a.signal.addEventListener('abort', () => resolve(), { once: true }));
    expect(a.signal.reason).toMatchObject({ code: 'TASK_TTL_EXPIRED', message: 'Algorithm TTL expired' });
    (await executor.next('sort')).end({ status: 'succeed', result: 'still running' });
    expect(await result).toMatchObject({ status: 'completed' });
  });

  it('is stopped by its signal, and every running task is stopped', async () => {
    const controller = new AbortController();
    const job = start({ signal: controller.signal });
    await job.next('sort');
    controller.abort();
    expect(await job.result).toMatchObject({ status: 'stopped', reason: 'stopped due to request' });
    expect(job.tasks.every((t) => t.signal.reason instanceof TaskStoppedError)).toBe(true);
  });
});
