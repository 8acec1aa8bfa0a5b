import type { StorageLinks } from '@hkube-ts/protocol';
import type { CodeApiData, CodeApiReply, CodeApiRequest, WorkerChannel } from '../src/index.js';
import { createCodeApi, type CodeApiOptions, type CodeApiSession } from '../src/index.js';

/** A scripted worker: records every request, lets the test push replies. */
export class FakeChannel implements WorkerChannel {
  readonly sent: CodeApiRequest[] = [];
  /** When set, `send` rejects with it (and records nothing). */
  failWith: Error | undefined;
  readonly #listeners = new Set<(reply: CodeApiReply) => void>();
  readonly #waiters: Array<{ count: number; resolve: () => void }> = [];

  send(request: CodeApiRequest): Promise<void> {
    if (this.failWith !== undefined) return Promise.reject(this.failWith);
    this.sent.push(request);
    for (const waiter of [...this.#waiters]) {
      if (this.sent.length >= waiter.count) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
    return Promise.resolve();
  }

  onReply(listener: (reply: CodeApiReply) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Delivers a reply to every listener, as the wrapper would. */
  reply(reply: CodeApiReply): void {
    for (const listener of [...this.#listeners]) listener(reply);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  /** Resolves once at least `count` requests were sent. */
  waitForSent(count: number): Promise<void> {
    if (this.sent.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  /** The sent requests of one command. */
  ofCommand<C extends CodeApiRequest['command']>(command: C): Array<Extract<CodeApiRequest, { command: C }>> {
    return this.sent.filter((request): request is Extract<CodeApiRequest, { command: C }> => request.command === command);
  }
}

/** A data plane backed by a Map: inputs are "written" under `local-hkube/job-1/<key>`. */
export class FakeData implements CodeApiData {
  readonly store = new Map<string, unknown>();
  readonly writes: unknown[][] = [];
  readonly reads: string[] = [];
  /** Signals seen by writeInput/readStored, in call order. */
  readonly signals: Array<AbortSignal | undefined> = [];
  /** When set, writeInput waits for it. */
  writeGate: Promise<void> | undefined;
  /** When set, readStored waits for it. */
  readGate: Promise<void> | undefined;
  /** When set, writeInput rejects with it. */
  writeError: Error | undefined;
  #keys = 0;

  constructor(readonly storageProtocol: 'v1' | 'v3') {}

  async writeInput(input: readonly unknown[], signal?: AbortSignal): Promise<{ storageInput: unknown[]; storage: StorageLinks }> {
    this.signals.push(signal);
    if (this.writeGate !== undefined) await this.writeGate;
    if (this.writeError !== undefined) throw this.writeError;
    this.writes.push([...input]);
    const storageInput: unknown[] = [];
    const storage: Record<string, { storageInfo: { path: string; size: number } }> = {};
    for (const item of input) {
      this.#keys += 1;
      const key = `key${this.#keys}`;
      const path = `local-hkube/job-1/${key}`;
      this.store.set(path, item);
      storageInput.push(`$$${key}`);
      storage[key] = { storageInfo: { path, size: JSON.stringify(item).length } };
    }
    return { storageInput, storage };
  }

  async readStored(path: string, signal?: AbortSignal): Promise<unknown> {
    this.signals.push(signal);
    this.reads.push(path);
    if (this.readGate !== undefined) await this.readGate;
    if (!this.store.has(path)) throw new Error(`no such object: ${path}`);
    return this.store.get(path);
  }
}

export const TASK = { jobId: 'job-1', taskId: 'task-1', nodeName: 'green' } as const;

/** A Code API over fakes. */
export function setup(
  storageProtocol: 'v1' | 'v3' = 'v1',
  options: Partial<CodeApiOptions> = {},
): { channel: FakeChannel; data: FakeData; session: CodeApiSession } {
  const channel = new FakeChannel();
  const data = new FakeData(storageProtocol);
  const session = createCodeApi({ channel, data, task: TASK, ...options });
  return { channel, data, session };
}

/** Lets every pending promise callback and I/O callback run. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A promise and its resolver, for gating fakes. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Fisher–Yates with a fixed seed, so failures are reproducible. */
export function shuffled<T>(items: readonly T[], seed = 7): T[] {
  const out = [...items];
  let state = seed;
  const random = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The reason a promise-like rejected with (fails the test if it resolves). */
export async function rejection(value: PromiseLike<unknown>): Promise<unknown> {
  try {
    await value;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
