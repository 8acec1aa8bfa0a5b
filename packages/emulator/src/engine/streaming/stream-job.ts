/**
 * The run of a stream job (pipeline-semantics §4). Pure like the batch loop: tasks run through the
 * injected `executeTask`, which reports producer statistics through its hooks.
 *
 * - At start: every source, every stateful node, and `minStatelessCount` replicas of each stateless node
 *   (one at most for a debug node).
 * - The autoscaler (every `autoscaleIntervalMs`) sizes each stateless node from the statistics of the
 *   edges into it ({@link requiredReplicas}); a removed replica is aborted with a
 *   {@link TaskScaledDownError} (a graceful stop). A node without replicas is also sized as soon as a
 *   report shows messages for it, without waiting for the tick.
 * - A stateful task whose `start` returns completes the job: its result plus the sinks' results.
 * - Failed tasks never fail the job: a stateless replica just ends, a stateful task starts again up to
 *   `statefulRetryLimit` times; when no stateful task is left at all, the job fails (HKube would wait).
 * - A task past its node's `ttl` fails with `Algorithm TTL expired` (then as any failed task).
 * - A stop (signal, job ttl) ends it `stopped`; every running task is aborted (a forced stop).
 */
import { copyValue } from '../copy.js';
import type { NormalisedPipeline } from '../descriptor.js';
import { TaskScaledDownError, TaskStoppedError, TaskTtlExpiredError } from '../errors.js';
import { buildGraph } from '../graph.js';
import { createTaskIdGenerator } from '../ids.js';
import { expandInput } from '../input-parser.js';
import type { RunJobOptions, StreamingRunOptions } from '../job-options.js';
import { endingReason, JobReporter, type JobEnding } from '../job-reporter.js';
import { MAX_TIMER_MS, startJobTimers, stopReason } from '../job-timers.js';
import { NodeRun, type TaskRecord } from '../node-run.js';
import { nodeResult, type JobResult, type NodeResult } from '../results.js';
import { buildTaskRequest, errorMessage, toTaskOutcome } from '../task-request.js';
import type { TaskOutcome, TaskStatus } from '../task.js';
import { HKUBE_AUTOSCALE_SETTINGS, requiredReplicas, type AutoscaleSettings } from './autoscale.js';
import { StreamStatistics, type ProducerReport } from './edge-statistics.js';

const DEFAULT_AUTOSCALE_INTERVAL_MS = 2000;
const DEFAULT_STATEFUL_RETRY_LIMIT = 3;
const NO_PARENT_OUTPUTS = { output: () => undefined, item: () => undefined };

/** A node of a stream job. */
interface StreamNode {
  readonly run: NodeRun;
  readonly stateless: boolean;
  /** Its resolved input (stream inputs read only flowInput and literals). */
  readonly input: unknown[];
  /** Tasks running (scaled-down replicas leave at once). */
  readonly live: Set<TaskRecord>;
  failures: number;
  lastScale: number;
}

/**
 * The replicas a stateless node may have: its `minStatelessCount` and `maxStatelessCount`, except that
 * a debug node has one at most (HKube's `maxScaleUpReplicasPerNode` is 1 for them: one debugger).
 */
function replicaBounds(node: StreamNode): { readonly min: number; readonly max: number | null | undefined } {
  const { kind, minStatelessCount, maxStatelessCount } = node.run.graph.node;
  if (kind !== 'debug') return { min: minStatelessCount, max: maxStatelessCount };
  return { min: Math.min(minStatelessCount, 1), max: 1 };
}

/** One stream job. Create, `start()`, await `result`. */
export class StreamJobRun {
  readonly result: Promise<JobResult>;
  readonly #pipeline: NormalisedPipeline;
  readonly #options: RunJobOptions;
  readonly #settings: StreamingRunOptions;
  readonly #autoscale: AutoscaleSettings;
  readonly #reporter: JobReporter;
  readonly #nodes: StreamNode[] = [];
  readonly #byName = new Map<string, StreamNode>();
  readonly #statistics: StreamStatistics;
  readonly #nextTaskId: () => string;
  readonly #taskIds = new Set<string>();
  readonly #timers: ReturnType<typeof setTimeout>[] = [];
  #ticker: ReturnType<typeof setInterval> | undefined;
  #finished = false;
  #resolve: (result: JobResult) => void = () => undefined;

  constructor(pipeline: NormalisedPipeline, options: RunJobOptions) {
    this.result = new Promise((resolve) => (this.#resolve = resolve));
    this.#pipeline = pipeline;
    this.#options = options;
    this.#settings = options.streaming ?? {};
    this.#autoscale = { ...HKUBE_AUTOSCALE_SETTINGS, ...this.#settings.autoscale };
    this.#reporter = new JobReporter(pipeline, options);
    this.#nextTaskId = options.createTaskId ?? createTaskIdGenerator();
    this.#statistics = new StreamStatistics(pipeline.edges.map(({ source, target }) => ({ source, target })));
    const flowInput = options.flowInput !== undefined ? options.flowInput : pipeline.flowInput;
    for (const graph of buildGraph(pipeline).nodes) {
      const expanded = expandInput(graph.input, { nodeName: graph.name, flowInput, parents: NO_PARENT_OUTPUTS }, graph.node.batchOperation);
      // A batch expression has no meaning for a node that runs once for the job's life: its list is its input.
      const input = expanded.kind === 'single' ? expanded.input : expanded.kind === 'batch' ? expanded.items.map((item) => item[0]) : [];
      const node: StreamNode = { run: new NodeRun(graph), stateless: graph.node.stateType === 'stateless', input, live: new Set(), failures: 0, lastScale: -Infinity };
      this.#nodes.push(node);
      this.#byName.set(graph.name, node);
    }
  }

  /** Starts the job's first tasks and the autoscaler. */
  start(): void {
    const { signal } = this.#options;
    if (signal?.aborted === true) {
      this.#stop(signal.reason);
      return;
    }
    signal?.addEventListener('abort', this.#onAbort, { once: true });
    this.#timers.push(...startJobTimers(this.#pipeline, this.#options.enforceJobTtl, (reason) => this.#stop(reason)));
    this.#reporter.emit('active', 'info');
    for (const node of this.#nodes) {
      if (!node.stateless || node.run.graph.parents.length === 0) this.#launch(node, 0, false);
      else for (let instance = 1; instance <= replicaBounds(node).min; instance += 1) this.#launch(node, instance, true);
    }
    const interval = this.#settings.autoscaleIntervalMs ?? DEFAULT_AUTOSCALE_INTERVAL_MS;
    if (!this.#finished && this.#nodes.some((node) => node.stateless)) this.#ticker = setInterval(() => this.#tick(), Math.max(1, interval));
  }

  readonly #onAbort = (): void => this.#stop(this.#options.signal?.reason);

  #launch(node: StreamNode, batchIndex: number, isScaled: boolean): void {
    if (this.#finished) return;
    let taskId = this.#nextTaskId();
    while (this.#taskIds.has(taskId)) taskId = this.#nextTaskId();
    this.#taskIds.add(taskId);
    const task: TaskRecord = { taskId, run: node.run, batchIndex, input: copyValue(node.input) as unknown[], status: 'pending' };
    node.run.tasks.push(task);
    node.live.add(task);
    this.#reporter.progress.add('pending');
    this.#setStatus(task, 'active');
    const controller = new AbortController();
    task.controller = controller;
    const ttl = node.run.graph.node.ttl ?? 0;
    if (ttl > 0 && ttl * 1000 <= MAX_TIMER_MS) task.timer = setTimeout(() => this.#expire(task, ttl), ttl * 1000);
    const { streaming } = this.#pipeline;
    const request = {
      ...buildTaskRequest(task, this.#pipeline, this.#options.jobId, this.#options.rootJobId),
      stream: {
        stateType: node.stateless ? ('stateless' as const) : ('stateful' as const),
        parsedFlow: streaming?.parsedFlow ?? {},
        defaultFlow: streaming?.defaultFlow ?? '',
        ...(isScaled ? { isScaled } : {}),
      },
    };
    const hooks = { onStatistics: (entries: readonly ProducerReport[]) => this.#onReport(task, entries) };
    let outcome: Promise<unknown>;
    try {
      outcome = Promise.resolve(this.#options.executeTask(request, controller.signal, hooks));
    } catch (thrown) {
      outcome = Promise.resolve({ status: 'failed', error: errorMessage(thrown) });
    }
    outcome.then(
      (value) => this.#settle(task, toTaskOutcome(value)),
      (thrown: unknown) => this.#settle(task, { status: 'failed', error: errorMessage(thrown) }),
    );
  }

  #node(task: TaskRecord): StreamNode {
    return this.#byName.get(task.run.name)!;
  }

  #setStatus(task: TaskRecord, status: TaskStatus): void {
    this.#reporter.progress.move(task.status, status);
    task.status = status;
    this.#reporter.emit('active', 'debug');
  }

  /** A task past its node's `ttl` fails (`Algorithm TTL expired`), as any failed stream task does. */
  #expire(task: TaskRecord, ttl: number): void {
    if (this.#finished || task.status !== 'active') return;
    const error = new TaskTtlExpiredError(task.taskId, task.run.name, ttl);
    task.controller?.abort(error);
    this.#settle(task, { status: 'failed', error: error.message });
  }

  /** Removes a task from the live ones, with its final status. */
  #end(task: TaskRecord, status: TaskStatus): void {
    if (task.timer !== undefined) clearTimeout(task.timer);
    this.#node(task).live.delete(task);
    this.#statistics.producerEnded(task.taskId);
    this.#setStatus(task, status);
  }

  #settle(task: TaskRecord, outcome: TaskOutcome): void {
    if (this.#finished || task.status !== 'active') return;
    const node = this.#node(task);
    if (outcome.status === 'succeed') {
      task.result = outcome.result;
      this.#end(task, 'succeed');
      if (!node.stateless) this.#complete(task);
      return;
    }
    task.error = outcome.error;
    this.#end(task, 'failed');
    if (node.stateless) return;
    node.failures += 1;
    if (node.failures <= (this.#settings.statefulRetryLimit ?? DEFAULT_STATEFUL_RETRY_LIMIT)) {
      this.#launch(node, 0, false);
      return;
    }
    if (!this.#nodes.some((other) => !other.stateless && other.live.size > 0)) {
      this.#finish({ status: 'failed', error: `every stateful node of the stream job has failed (last: ${outcome.error})`, nodeName: node.run.name });
    }
  }

  #onReport(task: TaskRecord, entries: readonly ProducerReport[]): void {
    if (this.#finished || task.status !== 'active') return;
    this.#statistics.record(task.taskId, task.run.name, entries, this.#reporter.now());
    // A child with no replica starts at once when messages wait for it (no need to wait for a tick).
    for (const child of task.run.graph.childs) {
      const node = this.#byName.get(child);
      if (node?.stateless === true && node.live.size === 0) this.#scale(node);
    }
    this.#publishStatistics();
  }

  #publishStatistics(): void {
    const listener = this.#settings.onStatistics;
    if (listener === undefined) return;
    try {
      listener(this.#statistics.snapshot((name) => this.#byName.get(name)?.live.size ?? 0));
    } catch {
      // A failing listener must not break the job.
    }
  }

  /** One autoscaler round over the stateless nodes that have parents. */
  #tick(): void {
    if (this.#finished) return;
    let changed = false;
    for (const node of this.#nodes) if (this.#scale(node)) changed = true;
    if (changed) this.#publishStatistics();
  }

  /** Sizes one stateless node; true when its replicas changed. */
  #scale(node: StreamNode): boolean {
    if (!node.stateless || node.run.graph.parents.length === 0) return false;
    const now = this.#reporter.now();
    const replicas = node.live.size;
    const { min, max } = replicaBounds(node);
    const target = requiredReplicas({ replicas, minReplicas: min, maxReplicas: max, ...this.#statistics.load(node.run.name) }, this.#autoscale);
    if (target === replicas || (replicas > 0 && now - node.lastScale < (this.#settings.minScaleIntervalMs ?? 0))) return false;
    node.lastScale = now;
    for (let added = replicas; added < target; added += 1) this.#launch(node, 0, false);
    const newestFirst = [...node.live].reverse();
    for (const task of newestFirst.slice(0, Math.max(0, replicas - target))) {
      this.#end(task, 'stopped');
      task.controller?.abort(new TaskScaledDownError(this.#options.jobId, task.taskId, node.run.name));
    }
    return true;
  }

  /** The returning stateful node's result, then every sink's (and `includeInResults` node's) results. */
  #complete(returned: TaskRecord): void {
    const data: NodeResult[] = [];
    for (const node of this.#nodes) {
      if (!node.run.graph.inResults && node.run !== returned.run) continue;
      const algorithmName = node.run.graph.node.algorithmName;
      for (const task of node.run.tasks) {
        if (task.status === 'succeed') data.push(nodeResult({ nodeName: node.run.name, algorithmName, result: task.result }));
      }
    }
    this.#finish({ status: 'completed', data });
  }

  #stop(reason: unknown): void {
    this.#finish({ status: 'stopped', reason: stopReason(reason) });
  }

  #finish(ending: JobEnding): void {
    if (this.#finished) return;
    this.#publishStatistics();
    this.#finished = true;
    const why = endingReason(ending);
    for (const node of this.#nodes) {
      for (const task of node.live) {
        if (task.timer !== undefined) clearTimeout(task.timer);
        this.#reporter.progress.move(task.status, 'stopped');
        task.status = 'stopped';
        task.controller?.abort(new TaskStoppedError(this.#options.jobId, task.taskId, why));
      }
      node.live.clear();
    }
    if (this.#ticker !== undefined) clearInterval(this.#ticker);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
    this.#resolve(this.#reporter.end(ending));
  }
}
