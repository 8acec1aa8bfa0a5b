/**
 * `@hkube-ts/wrapper-node`: run a TypeScript or JavaScript algorithm under an HKube worker.
 *
 * - {@link run} serves a worker from an algorithm image (the `hkube-wrapper` bin calls it);
 * - {@link debug} attaches a local process to a debug URL;
 * - {@link Algorithm} is what you implement.
 *
 * @packageDocumentation
 */
export type { Algorithm, InitArgs, StartArgs, StopOptions, ExitOptions } from './algorithm/types.js';
export { loadAlgorithm, toAlgorithm, type AlgorithmLocation } from './algorithm/loader.js';
export { run, type RunOptions, type Environment } from './run.js';
export { debug, resolveDebugUrl, type DebugOptions, type DebugTarget } from './debug.js';
export { AlgorithmRunner, type RunnerOptions, type TaskApi, type TaskApiFactory } from './lifecycle/runner.js';
export type { ServeOutcome, TaskDataPlane } from './lifecycle/types.js';
export { createTaskDataPlane, createStorageFromEnv, type ClosableDataPlane, type TaskDataPlaneOptions } from './data-plane.js';
export { createTaskApiFactory, type TaskApiFactoryOptions } from './lifecycle/code-api.js';
export type { Transport, TransportConnection, TransportHandlers, CloseInfo } from './transport/types.js';
export { createWebSocketTransport, type WebSocketTransportOptions } from './transport/ws-transport.js';
export { createMemoryPipe, type MemoryPipe, type MemoryPipePeer, type MemoryPipeOptions, type MemoryFrame } from './transport/memory-transport.js';
export { createConsoleLogger, parseLogLevel, silentLogger, type Logger, type LogLevel } from './logging/logger.js';
export * from './errors.js';
export * from './data/index.js';
export type * from './streaming/types.js';
export * from './streaming/errors.js';
export { restOfFlow, nextInFlow } from './streaming/flow.js';
export { MessageQueue, type MessageQueueOptions } from './streaming/queue/message-queue.js';
export { createMemoryStreamNetwork, MemoryEndpoint, MemoryStreamNetwork, MEMORY_HOST } from './streaming/memory/network.js';
export { createMemoryStreamTransport } from './streaming/memory/transport.js';
export * from './streaming/session/index.js';
export { RunnerStreaming, type StreamingRunnerOptions, type TaskStreaming } from './lifecycle/streaming-task.js';
export { createZeroMqStreamTransport, type ZeroMqStreamTransportOptions } from './streaming/zeromq/transport.js';
