/**
 * Building the {@link TaskRequest} of a task, and reading what an executor returned.
 */
import type { NormalisedPipeline } from './descriptor.js';
import type { TaskRecord } from './node-run.js';
import type { TaskOutcome, TaskRequest } from './task.js';

/** The message of a thrown value. */
export function errorMessage(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'string') return thrown;
  return String(thrown);
}

/** Reads an executor's resolved value as a {@link TaskOutcome}; anything else is a failure. */
export function toTaskOutcome(value: unknown): TaskOutcome {
  const outcome = value as Partial<Record<'status' | 'result' | 'error', unknown>> | null | undefined;
  if (outcome?.status === 'succeed') return { status: 'succeed', result: outcome.result };
  if (outcome?.status === 'failed') return { status: 'failed', error: typeof outcome.error === 'string' ? outcome.error : errorMessage(outcome.error) };
  return { status: 'failed', error: 'the task executor returned an invalid outcome' };
}

/** The job data of one task (§2.5 of the spec), without undefined keys. */
export function buildTaskRequest(task: TaskRecord, pipeline: NormalisedPipeline, jobId: string, rootJobId: string | undefined): TaskRequest {
  const { graph } = task.run;
  const { node } = graph;
  return {
    jobId,
    taskId: task.taskId,
    nodeName: graph.name,
    ...(node.algorithmName === undefined ? {} : { algorithmName: node.algorithmName }),
    pipelineName: pipeline.name,
    kind: pipeline.kind,
    nodeKind: node.kind,
    input: task.input,
    batchIndex: task.batchIndex,
    info: {
      savePaths: graph.savePaths,
      ...(node.extraData === undefined ? {} : { extraData: node.extraData }),
      ...(rootJobId === undefined ? {} : { rootJobId }),
      lastRunResult: null,
    },
    parents: graph.parents,
    childs: graph.childs,
    ...(node.ttl === undefined ? {} : { ttl: node.ttl }),
    retry: node.retry,
    ...(node.spec === undefined ? {} : { spec: node.spec }),
  };
}
