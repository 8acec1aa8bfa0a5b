/**
 * The TensorBoard metrics directory (`ALGO_METRICS_DIR`, `/var/metrics` in HKube pods): the worker
 * uploads its content after a successful task unless the node sets `metrics.tensorboard: false`.
 *
 * @internal
 * @module
 */

import { mkdir } from 'node:fs/promises';
import { MetricsDirError } from './errors.js';

/**
 * Returns a function that creates `dir` (like `mkdir -p`) on its first call and resolves to it. A
 * failed attempt is not remembered, so a later call tries again.
 */
export function metricsDirEnsurer(dir: string | undefined): () => Promise<string> {
  let created: Promise<string> | undefined;
  return () => {
    if (dir === undefined || dir === '') return Promise.reject(new MetricsDirError(undefined));
    created ??= mkdir(dir, { recursive: true }).then(
      () => dir,
      (error: unknown) => {
        created = undefined;
        throw new MetricsDirError(dir, { cause: error });
      },
    );
    return created;
  };
}
