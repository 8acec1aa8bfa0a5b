/**
 * The state of one node (and its tasks) during a job, and the views other nodes read from it.
 */
import type { GraphNode } from './graph.js';
import type { BatchItemOutput, ParentOutput } from './resolve.js';
import { nodeResult, type NodeResult } from './results.js';
import type { TaskStatus } from './task.js';

/** One task of a running job. */
export interface TaskRecord {
  readonly taskId: string;
  readonly run: NodeRun;
  /** 0 for a single task, 1.. for batch and wait-any items, -1 for the pseudo task of a skipped batch. */
  readonly batchIndex: number;
  /** The resolved input (a deep copy). */
  readonly input: unknown[];
  status: TaskStatus;
  result?: unknown;
  error?: string;
  /** Set when the input could not be resolved: the task fails with it without running. */
  inputError?: string;
  controller?: AbortController;
  timer?: ReturnType<typeof setTimeout>;
}

/** True when a batch item is finished in a way its wait-any children react to. */
export function isItemFinished(task: TaskRecord): boolean {
  return task.status === 'succeed' || task.status === 'failed';
}

/** A node during a job. */
export class NodeRun {
  /** Its flat-task status in progress counts while it has no task; `undefined` once it has some. */
  placeholder: 'creating' | 'preschedule' | undefined = 'creating';
  /** It has started (for a wait-any node: fired at least once, or was skipped). */
  started = false;
  /** No more tasks will be created for it. */
  expanded = false;
  /** Every task is final and no more will come: its children may read it. */
  done = false;
  /** Its batch was empty (or a wait-any parent was skipped): one pseudo task with batchIndex -1. */
  skipped = false;
  /** Tasks in creation order (HKube's `node.batch`). */
  readonly tasks: TaskRecord[] = [];
  /** Tasks not final yet. */
  unfinished = 0;
  /** Batch items created (batchIndex > 0) and failed so far, for the batch tolerance. */
  itemCount = 0;
  failedItems = 0;
  /** Wait (`@`, `#@`, edge) parents not done yet. */
  waitPending: number;
  /** Wait-any (`*@`) parents not done yet. */
  anyPending: number;
  /** Wait-any parents. */
  anyParents: readonly NodeRun[] = [];
  /** Children that wait for this node completely / item by item / either way. */
  waitChildren: readonly NodeRun[] = [];
  anyChildren: readonly NodeRun[] = [];
  children: readonly NodeRun[] = [];
  /** Wait-any indices already fired. */
  readonly fired = new Set<number>();
  /** First task per batchIndex (> 0), for the wait-any children. */
  readonly items = new Map<number, TaskRecord>();

  constructor(readonly graph: GraphNode) {
    this.waitPending = graph.waitParents.length;
    this.anyPending = graph.anyParents.length;
  }

  /** The node's name. */
  get name(): string {
    return this.graph.name;
  }

  private doneOutput: ParentOutput | undefined;
  /** The output of a node that does not run (taken from an earlier job). */
  cachedOutput: ParentOutput | undefined;

  /** What `@X` / `#@X` see of this node once it is done (built once: a done node never changes). */
  output(): ParentOutput {
    if (this.cachedOutput !== undefined) return this.cachedOutput;
    if (this.doneOutput !== undefined) return this.doneOutput;
    let output: ParentOutput;
    if (this.graph.batch) {
      const items: BatchItemOutput[] = [];
      for (const task of this.tasks) {
        const item = itemOutput(task);
        if (item !== undefined) items.push(item);
      }
      output = { kind: 'batch', skipped: this.skipped, items };
    } else {
      output = { kind: 'single', result: this.tasks[0]?.result };
    }
    if (this.done) this.doneOutput = output;
    return output;
  }

  /** The job-result entries of this node. */
  results(): NodeResult[] {
    const algorithmName = this.graph.node.algorithmName;
    return this.tasks.map((task) =>
      nodeResult({
        nodeName: this.name,
        batchIndex: task.batchIndex === 0 ? undefined : task.batchIndex,
        algorithmName,
        result: task.status === 'succeed' ? task.result : undefined,
        error: task.error,
      }),
    );
  }
}

/** The view of a finished batch item; `undefined` for unfinished items and skip pseudo tasks. */
export function itemOutput(task: TaskRecord): BatchItemOutput | undefined {
  if (task.batchIndex <= 0 || !isItemFinished(task)) return undefined;
  if (task.status === 'succeed') return { batchIndex: task.batchIndex, status: 'succeed', result: task.result };
  return { batchIndex: task.batchIndex, status: 'failed', ...(task.error === undefined ? {} : { error: task.error }) };
}
