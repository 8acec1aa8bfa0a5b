import { createCodeApi, type CodeApiSession, type HkubeApi } from '@hkube-ts/codeapi';
import { ensureError, type InitializePayload } from '@hkube-ts/protocol';
import type { Logger } from '../logging/logger.js';
import type { TaskApiFactory } from './runner.js';

/** Options of {@link createTaskApiFactory}. */
export interface TaskApiFactoryOptions {
  /** The connection's storage mode: v3 moves Code API data through storage, v1 inline. */
  readonly storageMode: 'v1' | 'v3';
  /** `ALGO_METRICS_DIR`, for TensorBoard files. */
  readonly metricsDir?: string | undefined;
  /** Where failures nobody awaits (a stop command that could not be sent) are reported. */
  readonly logger?: Logger;
}

/** Builds each task's Code API from `@hkube-ts/codeapi`, with the task's ids and data access. */
export function createTaskApiFactory(options: TaskApiFactoryOptions): TaskApiFactory {
  return (payload: InitializePayload, channel, dataPlane, streaming) => {
    const data =
      options.storageMode === 'v3' && dataPlane
        ? dataPlane.codeApiData(payload)
        : {
            storageProtocol: 'v1' as const,
            writeInput: () => Promise.reject(new Error('storage mode v1 sends Code API input inline')),
            readStored: () => Promise.reject(new Error('storage mode v1 receives Code API results inline')),
          };
    // Built on first use: most tasks never touch the Code API, and a session per task costs time and
    // garbage on the hot path.
    let session: CodeApiSession | undefined;
    let closedWith: string | undefined;
    const open = (): CodeApiSession => {
      if (session === undefined) {
        session = createCodeApi({
          channel,
          data,
          task: { jobId: payload.jobId, taskId: payload.taskId, nodeName: payload.nodeName },
          streaming,
          ...(options.metricsDir ? { metricsDir: options.metricsDir } : {}),
          onBackgroundError: (error: unknown) => options.logger?.warn(`Code API: ${ensureError(error).message}`),
        });
        if (closedWith !== undefined) session.close(closedWith);
      }
      return session;
    };
    // Bound methods are kept: `api.sendMessage` runs once per stream message. Created on first use too.
    let bound: Map<string | symbol, unknown> | undefined;
    const api = new Proxy({} as HkubeApi, {
      get(_target, property) {
        const cached = bound?.get(property);
        if (cached !== undefined) return cached;
        const real = open().api;
        const value: unknown = Reflect.get(real, property, real);
        if (typeof value !== 'function') return value;
        const method = (value as (...args: unknown[]) => unknown).bind(real);
        (bound ??= new Map()).set(property, method);
        return method;
      },
    });
    return {
      api,
      close: (reason: string) => {
        closedWith ??= reason;
        session?.close(reason);
      },
    };
  };
}
