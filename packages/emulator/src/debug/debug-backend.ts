/**
 * A {@link WorkerBackend} for a debug node (pipeline-semantics §5.4): instead of starting the
 * algorithm, it waits for a debugger (the wrapper's `debug()` from an IDE, or any official wrapper in
 * debug mode) to attach at the emulator's debug URL, up to an optional timeout.
 */
import { DebuggerAttachTimeoutError } from '../errors.js';
import type { WorkerBackend, WorkerConnection } from '../worker/backend.js';
import type { DebugServer } from './debug-server.js';

/** What a run is told when a debug node waits for its debugger. */
export interface DebugWaiting {
  /** The debug node. */
  readonly nodeName: string;
  /** The algorithm to attach as. */
  readonly algorithmName: string;
  /** Where to attach: `ws://127.0.0.1:<port>/hkube/debug/<algorithmName>`. */
  readonly url: string;
}

/** How the debug nodes of a job are served. */
export interface DebugAttachSettings {
  /** The emulator's debug server. */
  readonly server: DebugServer;
  /** How long a task waits for a debugger (`undefined`: indefinitely). */
  readonly attachTimeoutMs: number | undefined;
  /** Called when a debug node starts waiting for a debugger. */
  readonly onWaiting?: (waiting: DebugWaiting) => void;
}

/** Creates the backend of one debug worker of `algorithmName`, first needed by node `nodeName`. */
export function createDebugBackend(algorithmName: string, nodeName: string, settings: DebugAttachSettings): WorkerBackend {
  let connection: WorkerConnection | undefined;
  let disposed: Promise<void> | undefined;
  return {
    description: `debugger of algorithm "${algorithmName}"`,
    async connect(signal: AbortSignal): Promise<WorkerConnection> {
      const { server, attachTimeoutMs, onWaiting } = settings;
      await server.listen();
      const url = server.url(algorithmName);
      if (!server.hasParkedClient(algorithmName)) {
        try {
          onWaiting?.({ nodeName, algorithmName, url });
        } catch {
          // A failing listener must not break the job.
        }
      }
      const signals = [signal];
      if (attachTimeoutMs !== undefined) signals.push(AbortSignal.timeout(attachTimeoutMs));
      const waiting = AbortSignal.any(signals);
      try {
        connection = await server.attach(algorithmName, waiting);
      } catch (error) {
        if (!signal.aborted && attachTimeoutMs !== undefined && waiting.aborted) throw new DebuggerAttachTimeoutError(algorithmName, url, attachTimeoutMs);
        throw error;
      }
      if (disposed !== undefined) connection.peer.close(1000, 'the worker has ended');
      return connection;
    },
    whenEnded(): Promise<Error | undefined> {
      return Promise.resolve(undefined);
    },
    dispose(graceMs: number): Promise<void> {
      disposed ??= new Promise<void>((resolve) => {
        const peer = connection?.peer;
        if (peer === undefined || graceMs <= 0) {
          peer?.close(1000, 'exit');
          resolve();
          return;
        }
        // After `exit`, the debugger has `graceMs` to close the socket by itself.
        const timer = setTimeout(() => {
          peer.close(1000, 'exit');
          resolve();
        }, graceMs);
        peer.onClose(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      return disposed;
    },
  };
}
