import { Router } from 'zeromq';
import { decodePeerRequest, encodeStored, getCodec, isPeerPing, PEER_PONG, replyFrames } from '@hkube-ts/protocol';
import { freePortPair, useCleanup } from './helpers.js';

const msgpack = getCodec('msgpack');

/** A data request a holding peer has received and not answered yet. */
export interface HeldRequest {
  /** The task ids it asks for. */
  readonly tasks: readonly string[];
  /** Answers it: each task's value is `{ task, port }` (msgpack, with the `HK` header). */
  release(): Promise<void>;
}

/**
 * The data requests held by one or more holding peers: how many are outstanding (received, not
 * answered) now and at the most, and in which order they came. Waiting is by events, never by time.
 */
export class RequestLedger {
  /** Outstanding requests, oldest first. */
  readonly held: HeldRequest[] = [];
  /** The task ids of every request received, in arrival order. */
  readonly arrivals: (readonly string[])[] = [];
  /** The most requests outstanding at once so far. */
  maxOutstanding = 0;
  #watchers: { readonly count: number; readonly wake: () => void }[] = [];

  /** Resolves once `count` requests have arrived in all. */
  arrived(count: number): Promise<void> {
    if (this.arrivals.length >= count) return Promise.resolve();
    return new Promise((wake) => this.#watchers.push({ count, wake }));
  }

  /** Answers the oldest outstanding request. */
  async releaseOldest(): Promise<void> {
    const request = this.held.shift();
    if (request === undefined) throw new Error('no request is outstanding');
    await request.release();
  }

  /** Records a request that came in (a holding peer calls this). */
  hold(request: HeldRequest): void {
    this.held.push(request);
    this.arrivals.push(request.tasks);
    this.maxOutstanding = Math.max(this.maxOutstanding, this.held.length);
    const reached = this.#watchers.filter((watcher) => watcher.count <= this.arrivals.length);
    this.#watchers = this.#watchers.filter((watcher) => !reached.includes(watcher));
    for (const watcher of reached) watcher.wake();
  }
}

/** Serves `socket` one frame set at a time, its sends chained (zeromq allows one send in flight). */
async function serve(socket: Router, handle: (frames: Buffer[], reply: (frames: (Buffer | string)[]) => Promise<void>) => void): Promise<void> {
  let sending: Promise<void> = Promise.resolve();
  const reply = (frames: (Buffer | string)[]): Promise<void> => (sending = sending.then(() => socket.send(frames)));
  for await (const frames of socket) handle(frames, reply);
}

/**
 * Starts a peer data server on 127.0.0.1 that answers every ping with pong at once and holds every
 * data request in `ledger` until the test releases it. Requests are read as msgpack: the client's
 * `DISCOVERY_ENCODING` must be msgpack. Returns its port and a `close()`.
 */
async function startHoldingPeer(ledger: RequestLedger): Promise<{ port: number; close(): void }> {
  const port = await freePortPair();
  const data = new Router({ linger: 0 });
  const ping = new Router({ linger: 0 });
  const close = (): void => {
    data.close();
    ping.close();
  };
  try {
    await data.bind(`tcp://127.0.0.1:${port}`);
    await ping.bind(`tcp://127.0.0.1:${port + 1}`);
  } catch (error) {
    close();
    throw error;
  }
  serve(ping, ([id, delimiter, frame], reply) => {
    if (id !== undefined && delimiter !== undefined && isPeerPing(frame)) void reply([id, delimiter, PEER_PONG]);
  }).catch(() => undefined);
  serve(data, ([id, delimiter, frame], reply) => {
    const request = decodePeerRequest(frame, msgpack);
    // An unreadable request is never held: the test waiting for it fails by its timeout.
    if (id === undefined || delimiter === undefined || !request.ok) return;
    const { tasks } = request.value;
    const answer = replyFrames(tasks.map((task) => encodeStored({ task, port }, msgpack)));
    ledger.hold({ tasks, release: () => reply([id, delimiter, ...answer]) });
  }).catch(() => undefined);
  return { port, close };
}

/**
 * Starts holding peers (see {@link startHoldingPeer}) that record into a ledger and are closed after
 * each test; resolves to the peer's port.
 */
export function useHoldingPeers(): (ledger: RequestLedger) => Promise<number> {
  const cleanup = useCleanup();
  return async (ledger) => {
    const peer = await startHoldingPeer(ledger);
    cleanup(() => peer.close());
    return peer.port;
  };
}
