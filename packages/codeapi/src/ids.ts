/**
 * Correlation ids for Code API requests (worker-protocol §6.1).
 *
 * @module
 */

/**
 * Produces the ids of one Code API: `<prefix><n>` with `n` counting from 1. One source is shared by
 * algorithm executions, sub-pipelines and data-source requests, so no two requests of a task ever share
 * an id; the prefix (by default `<taskId>:`) keeps ids of different tasks in the same process apart, so
 * a late reply meant for an earlier task can never settle a request of the current one.
 *
 * The worker needs `execId` to be a non-empty string unique among the task's running executions; it
 * only echoes `subPipelineId` and `requestId`.
 *
 * @example
 * ```ts
 * const nextId = createIdSource('task-1:');
 * nextId(); // 'task-1:1'
 * nextId(); // 'task-1:2'
 * ```
 */
export function createIdSource(prefix: string): () => string {
  let counter = 0;
  return () => {
    counter += 1;
    return `${prefix}${counter}`;
  };
}
