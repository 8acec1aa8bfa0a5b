/**
 * The run loop of a batch job (§2.1–§2.3, §2.6, §2.7 of the spec). Pure: tasks are run by the injected
 * `executeTask`; the loop decides when each node runs, what its tasks receive, when the job fails, and
 * what it returns.
 *
 * - A node that is not wait-any runs once, when every wait parent (`@X`, `#@X`, explicit edges) is done.
 * - A wait-any node (`*@X`) fires index k once, when item k of **every** wait-any parent is finished and
 *   every wait parent is done (the documented semantics; HKube's code also fires extra runs with `null`
 *   values, §2.10 #1).
 * - An empty batch skips the node (one pseudo task, batchIndex -1); a skipped parent reads as `[]`.
 * - A single task's failure fails the job at once; a batch item's failure fails it when
 *   `round(failed / total × 100) >= batchTolerance`.
 */
import { copyValue } from './copy.js';
import type { NormalisedPipeline, ProgressLevel } from './descriptor.js';
import { BatchToleranceError, PipelineValidationError, TaskStoppedError, TaskTtlExpiredError } from './errors.js';
import { buildGraph } from './graph.js';
import { createTaskIdGenerator } from './ids.js';
import { expandInput } from './input-parser.js';
import { isItemFinished, itemOutput, NodeRun, type TaskRecord } from './node-run.js';
import { endingReason, JobReporter, type JobEnding } from './job-reporter.js';
import type { ProgressCounter, JobStatus } from './progress.js';
import type { ParentOutput, ParentOutputs } from './resolve.js';
import type { JobResult } from './results.js';
import { buildTaskRequest, errorMessage, toTaskOutcome } from './task-request.js';
import type { RunJobOptions } from './job-options.js';
import { MAX_TIMER_MS, startJobTimers, stopReason } from './job-timers.js';
import { StreamJobRun } from './streaming/stream-job.js';
import { FINAL_TASK_STATUSES, type TaskOutcome, type TaskStatus } from './task.js';

export type { RunJobOptions } from './job-options.js';



class JobRun {
  private readonly runs: NodeRun[];
  private readonly byName: ReadonlyMap<string, NodeRun>;
  private readonly live = new Set<TaskRecord>();
  private readonly queue: TaskRecord[] = [];
  private queueHead = 0;
  private running = 0;
  private doneNodes = 0;
  private finished = false;
  private readonly reporter: JobReporter;
  private readonly progress: ProgressCounter;
  private readonly flowInput: unknown;
  private readonly nextTaskId: () => string;
  private readonly jobTimers: ReturnType<typeof setTimeout>[] = [];
  private resolveResult: (result: JobResult) => void = () => undefined;
  readonly result: Promise<JobResult>;

  private readonly outputs: ParentOutputs = {
    output: (nodeName) => {
      const run = this.byName.get(nodeName);
      return run?.done === true ? run.output() : undefined;
    },
    item: (nodeName, batchIndex) => {
      const task = this.byName.get(nodeName)?.items.get(batchIndex);
      return task === undefined ? undefined : itemOutput(task);
    },
  };

  constructor(
    private readonly pipeline: NormalisedPipeline,
    private readonly options: RunJobOptions,
  ) {
    this.result = new Promise((resolve) => (this.resolveResult = resolve));
    this.reporter = new JobReporter(pipeline, options);
    this.progress = this.reporter.progress;
    this.flowInput = options.flowInput !== undefined ? options.flowInput : pipeline.flowInput;
    this.nextTaskId = options.createTaskId ?? createTaskIdGenerator();
    const graph = buildGraph(pipeline);
    this.runs = graph.nodes.map((node) => new NodeRun(node));
    this.byName = new Map(this.runs.map((run) => [run.name, run]));
    const runsOf = (names: readonly string[]): NodeRun[] => names.map((name) => this.byName.get(name)!);
    for (const run of this.runs) {
      run.anyParents = runsOf(run.graph.anyParents);
      run.children = runsOf(run.graph.childs);
      run.waitChildren = run.children.filter((child) => child.graph.waitParents.includes(run.name));
      run.anyChildren = run.children.filter((child) => child.graph.anyParents.includes(run.name));
      this.progress.add('creating');
    }
    for (const [name, output] of options.cachedOutputs ?? []) this.cache(name, output);
  }

  /** Marks a node of {@link RunJobOptions.cachedOutputs} as done with `output`. */
  private cache(name: string, output: ParentOutput): void {
    const run = this.byName.get(name);
    if (run === undefined) throw new PipelineValidationError(`cached node ${name} is not in the pipeline`, { pipelineName: this.pipeline.name, nodeName: name });
    const cached = this.options.cachedOutputs!;
    const parent = run.graph.parents.find((parentName) => !cached.has(parentName));
    if (parent !== undefined) throw new PipelineValidationError(`cached node ${name} has a parent that runs (${parent})`, { pipelineName: this.pipeline.name, nodeName: name });
    const child = run.graph.childs.find((childName) => !cached.has(childName) && this.byName.get(childName)!.graph.anyParents.includes(name));
    if (child !== undefined) throw new PipelineValidationError(`relation waitAny for node ${child} is not allowed`, { pipelineName: this.pipeline.name, nodeName: child });
    run.cachedOutput = output;
    if (run.placeholder !== undefined) this.progress.remove(run.placeholder);
    run.placeholder = undefined;
    run.started = true;
    run.expanded = true;
    run.done = true;
    this.doneNodes += 1;
    for (const waiting of run.waitChildren) waiting.waitPending -= 1;
    for (const waiting of run.anyChildren) waiting.anyPending -= 1;
  }

  start(): void {
    const { signal } = this.options;
    if (signal?.aborted === true) {
      this.stop(signal.reason);
      return;
    }
    signal?.addEventListener('abort', this.onAbort, { once: true });
    this.startJobTimers();
    this.emit('active', 'info');
    // Entry nodes, and nodes whose parents are all cached.
    for (const run of this.runs) {
      if (!run.started && run.graph.parents.every((name) => this.byName.get(name)!.cachedOutput !== undefined)) this.startNode(run);
    }
    if (this.doneNodes === this.runs.length) this.complete();
  }

  private readonly onAbort = (): void => this.stop(this.options.signal?.reason);

  private startJobTimers(): void {
    this.jobTimers.push(...startJobTimers(this.pipeline, this.options.enforceJobTtl, (reason) => this.stop(reason)));
  }

  /** Creates and launches the tasks of a node (or of one wait-any firing, `index`). */
  private startNode(run: NodeRun, index?: number): void {
    if (this.finished) return;
    run.started = true;
    for (const child of run.children) {
      if (child.placeholder !== 'creating') continue;
      this.progress.move('creating', 'preschedule');
      child.placeholder = 'preschedule';
    }
    let expanded;
    try {
      const context = { nodeName: run.name, flowInput: this.flowInput, parents: this.outputs, ...(index === undefined ? {} : { waitAnyIndex: index }) };
      expanded = expandInput(run.graph.input, context, run.graph.node.batchOperation);
    } catch (thrown) {
      this.fail(errorMessage(thrown), run.name);
      return;
    }
    const created: TaskRecord[] = [];
    switch (expanded.kind) {
      case 'skip':
        this.addTask(run, -1, [], 'skipped');
        if (index === undefined) run.skipped = true;
        break;
      case 'single':
        created.push(this.addTask(run, index ?? 0, expanded.input));
        break;
      case 'batch':
        expanded.items.forEach((input, i) => created.push(this.addTask(run, i + 1, input)));
        break;
    }
    if (expanded.kind !== 'skip' && expanded.error !== undefined) for (const task of created) task.inputError = expanded.error.message;
    if (index === undefined) run.expanded = true;
    for (const task of created) {
      if (this.finished) return;
      this.launch(task);
    }
    this.maybeNodeDone(run);
  }

  private addTask(run: NodeRun, batchIndex: number, input: unknown[], status: TaskStatus = 'pending'): TaskRecord {
    if (run.placeholder !== undefined) {
      this.progress.remove(run.placeholder);
      run.placeholder = undefined;
    }
    let taskId = this.nextTaskId();
    while (this.byTaskId.has(taskId)) taskId = this.nextTaskId();
    const task: TaskRecord = { taskId, run, batchIndex, input, status };
    this.byTaskId.add(taskId);
    run.tasks.push(task);
    this.progress.add(status);
    if (!FINAL_TASK_STATUSES.has(status)) {
      run.unfinished += 1;
      this.live.add(task);
    }
    if (batchIndex > 0) {
      run.itemCount += 1;
      if (!run.items.has(batchIndex)) run.items.set(batchIndex, task);
    }
    return task;
  }

  private readonly byTaskId = new Set<string>();

  private launch(task: TaskRecord): void {
    if (task.inputError !== undefined) {
      this.finishTask(task, { status: 'failed', error: task.inputError });
      return;
    }
    const limit = this.options.concurrency;
    if (limit !== undefined && limit > 0 && this.running >= limit) {
      this.queue.push(task);
      return;
    }
    this.execute(task);
  }

  private drainQueue(): void {
    const limit = this.options.concurrency ?? Infinity;
    while (!this.finished && this.running < limit && this.queueHead < this.queue.length) {
      const task = this.queue[this.queueHead]!;
      this.queueHead += 1;
      if (task.status === 'pending') this.execute(task);
    }
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
  }

  private execute(task: TaskRecord): void {
    const node = task.run.graph.node;
    this.running += 1;
    this.setStatus(task, 'active');
    const controller = new AbortController();
    task.controller = controller;
    const ttl = node.ttl ?? 0;
    if (ttl > 0 && ttl * 1000 <= MAX_TIMER_MS) task.timer = setTimeout(() => this.expire(task, ttl), ttl * 1000);
    let outcome: Promise<unknown>;
    try {
      // An output node is the identity of its input (HKube's algorithm-output); it needs no executor.
      const value = node.kind === 'output' ? { status: 'succeed', result: task.input } : this.options.executeTask(buildTaskRequest(task, this.pipeline, this.options.jobId, this.options.rootJobId), controller.signal);
      outcome = Promise.resolve(value);
    } catch (thrown) {
      outcome = Promise.resolve({ status: 'failed', error: errorMessage(thrown) });
    }
    outcome.then(
      (value) => this.settle(task, toTaskOutcome(value)),
      (thrown: unknown) => this.settle(task, { status: 'failed', error: errorMessage(thrown) }),
    );
  }

  private expire(task: TaskRecord, ttl: number): void {
    if (this.finished || task.status !== 'active') return;
    const error = new TaskTtlExpiredError(task.taskId, task.run.name, ttl);
    task.controller?.abort(error);
    this.finishTask(task, { status: 'failed', error: error.message });
  }

  private settle(task: TaskRecord, outcome: TaskOutcome): void {
    if (this.finished || task.status !== 'active') return;
    this.finishTask(task, outcome);
  }

  private finishTask(task: TaskRecord, outcome: TaskOutcome): void {
    if (task.timer !== undefined) clearTimeout(task.timer);
    const wasActive = task.status === 'active';
    let status: 'succeed' | 'failed' = outcome.status;
    if (outcome.status === 'succeed') {
      try {
        task.result = copyValue(outcome.result);
      } catch (thrown) {
        status = 'failed';
        task.error = `the task result cannot be stored: ${errorMessage(thrown)}`;
      }
    } else {
      task.error = outcome.error;
    }
    this.setStatus(task, status);
    this.live.delete(task);
    task.run.unfinished -= 1;
    if (wasActive) this.running -= 1;
    if (status === 'failed' && this.failureIsFatal(task)) return;
    this.drainQueue();
    if (task.batchIndex > 0) for (const child of task.run.anyChildren) this.tryFire(child, task.batchIndex);
    this.maybeNodeDone(task.run);
  }

  /** Applies the failure rules; true when the job failed. */
  private failureIsFatal(task: TaskRecord): boolean {
    const { run } = task;
    const error = task.error ?? 'unknown error';
    if (task.batchIndex === 0) {
      this.fail(error, run.name);
      return true;
    }
    run.failedItems += 1;
    const tolerance = this.pipeline.options.batchTolerance;
    if (Math.round((run.failedItems / run.itemCount) * 100) < tolerance) return false;
    this.fail(new BatchToleranceError(run.name, run.failedItems, run.itemCount, tolerance, error).message, run.name);
    return true;
  }

  /** Fires wait-any index `index` of `run` if every wait-any parent's item is finished. */
  private tryFire(run: NodeRun, index: number): void {
    if (this.finished || run.expanded || run.waitPending > 0 || run.fired.has(index)) return;
    for (const parent of run.anyParents) {
      const item = parent.items.get(index);
      if (item === undefined || !isItemFinished(item)) return;
    }
    run.fired.add(index);
    this.startNode(run, index);
  }

  private maybeNodeDone(run: NodeRun): void {
    if (this.finished || run.done || !run.expanded || run.unfinished > 0) return;
    run.done = true;
    this.doneNodes += 1;
    for (const child of run.waitChildren) child.waitPending -= 1;
    for (const child of run.anyChildren) child.anyPending -= 1;
    for (const child of run.children) this.evaluate(child);
    if (this.doneNodes === this.runs.length) this.complete();
  }

  /** Reacts to a parent of `run` being done. */
  private evaluate(run: NodeRun): void {
    if (this.finished || run.done) return;
    if (run.anyParents.length === 0) {
      if (!run.started && run.waitPending === 0) this.startNode(run);
      return;
    }
    if (run.expanded) return;
    if (run.anyParents.some((parent) => parent.skipped)) {
      this.skipWaitAny(run);
      return;
    }
    if (run.waitPending > 0) return;
    const [first] = run.anyParents;
    for (const index of [...first!.items.keys()]) this.tryFire(run, index);
    if (run.anyPending > 0 || this.finished) return;
    if (run.tasks.length === 0) {
      this.skipWaitAny(run);
      return;
    }
    run.expanded = true;
    this.maybeNodeDone(run);
  }

  private skipWaitAny(run: NodeRun): void {
    run.started = true;
    run.skipped = true;
    run.expanded = true;
    this.addTask(run, -1, [], 'skipped');
    this.maybeNodeDone(run);
  }

  private setStatus(task: TaskRecord, status: TaskStatus, report = true): void {
    this.progress.move(task.status, status);
    task.status = status;
    if (report) this.emit('active', 'debug');
  }

  private emit(status: JobStatus, level: ProgressLevel): void {
    this.reporter.emit(status, level);
  }

  private complete(): void {
    const data = this.runs.filter((run) => run.graph.inResults && run.cachedOutput === undefined).flatMap((run) => run.results());
    this.finish({ status: 'completed', data });
  }

  private fail(error: string, nodeName: string | undefined): void {
    this.finish(nodeName === undefined ? { status: 'failed', error } : { status: 'failed', error, nodeName });
  }

  private stop(reason: unknown): void {
    this.finish({ status: 'stopped', reason: stopReason(reason) });
  }

  private finish(ending: JobEnding): void {
    if (this.finished) return;
    this.finished = true;
    const why = endingReason(ending);
    for (const task of this.live) {
      if (task.timer !== undefined) clearTimeout(task.timer);
      this.setStatus(task, 'stopped', false);
      task.controller?.abort(new TaskStoppedError(this.options.jobId, task.taskId, why));
    }
    this.live.clear();
    for (const timer of this.jobTimers) clearTimeout(timer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.resolveResult(this.reporter.end(ending));
  }
}

/**
 * Runs a validated pipeline to its end and resolves with the job result (it never rejects for a
 * failed job: a failure is a result with `status: 'failed'`).
 *
 * @example
 * ```ts
 * const checked = validatePipeline(descriptor);
 * if (checked.ok) {
 *   const result = await runJob(checked.pipeline, {
 *     jobId: 'job-1',
 *     executeTask: async (task) => ({ status: 'succeed', result: task.input }),
 *   });
 * }
 * ```
 * A `stream` pipeline runs as a stream job (pipeline-semantics §4, see `StreamJobRun`): its sources,
 * stateful nodes and minimum stateless replicas start at once, the autoscaler adds and removes
 * stateless replicas, and the job completes when a stateful node's `start` returns.
 * @throws {PipelineValidationError} (as a rejection) for a pipeline that references unknown nodes
 *   (pass pipelines through {@link validatePipeline} first).
 */
export function runJob(pipeline: NormalisedPipeline, options: RunJobOptions): Promise<JobResult> {
  let job: JobRun | StreamJobRun;
  try {
    job = pipeline.kind === 'stream' ? new StreamJobRun(pipeline, options) : new JobRun(pipeline, options);
  } catch (thrown) {
    return Promise.reject(thrown instanceof Error ? thrown : new Error(String(thrown)));
  }
  job.start();
  return job.result;
}
