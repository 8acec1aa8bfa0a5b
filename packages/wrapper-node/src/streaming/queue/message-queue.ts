/**
 * The producer's message queue (data-plane §4.4): routes each message by flow to this node's children,
 * keeps one FIFO per child node (replicas of a child compete for it, different children each get every
 * message), enforces the memory cap by dropping the oldest message, and keeps the per-child statistics
 * of §4.5.
 *
 * @module
 */
import type { StreamFlowStep, StreamingStatisticsEntry } from '@hkube-ts/protocol';
import { StreamQueueConfigError } from '../errors.js';
import { nextInFlow, restOfFlow } from '../flow.js';
import type { MessageSource, QueuedMessage, StreamingStatisticsSnapshot } from '../types.js';
import { Fifo, RecentValues } from './fifo.js';

/** How many recent durations a statistics report carries per list (HKube's window). */
const REPORTED_DURATIONS = 10;

/** Options of {@link MessageQueue}. */
export interface MessageQueueOptions {
  /** This node: its step of each flow decides where a message goes. */
  readonly nodeName: string;
  /** This node's children (`childs` of `initialize`), the only names a message can be queued for. */
  readonly consumers: readonly string[];
  /** The memory cap in payload bytes (`STREAMING_MAX_BUFFER_MB` × 2^20); `Infinity` for none. */
  readonly maxBytes: number;
  /** Clock in ms for queue durations (default `performance.now`). */
  readonly now?: () => number;
}

/** One appended message, shared by the FIFOs of every child it goes to. */
interface Entry {
  /** Cleared once no child needs it any more, so the payload can be collected. */
  message: QueuedMessage | undefined;
  readonly size: number;
  readonly appendedAt: number;
  /** Children that have neither taken nor dropped it. */
  remaining: number;
}

interface Child {
  readonly name: string;
  readonly fifo: Fifo<Entry>;
  appended: number;
  sent: number;
  dropped: number;
  responses: number;
  readonly netDurations: RecentValues;
  readonly durations: RecentValues;
  readonly queueDurations: RecentValues;
}

interface Route {
  readonly children: readonly Child[];
  readonly names: readonly string[];
  /** What the children receive: `restOfFlow(flow, nodeName)`, looked up once per flow. */
  readonly rest: readonly StreamFlowStep[];
}

const NO_ROUTE: Route = { children: [], names: Object.freeze([]), rest: Object.freeze([]) };

/**
 * The queue behind a node's stream producer. Every operation is amortised O(1) in the queue length
 * (O(children) for append and drop).
 *
 * @example
 * ```ts
 * const queue = new MessageQueue({ nodeName: 'A', consumers: ['B', 'C'], maxBytes: 1500 * 2 ** 20 });
 * queue.append(parsedFlow.main, header, payload); // ['B'] when the flow says A >> B
 * const message = queue.take('B');                 // what the transport sends to a B listener
 * queue.done('B', 3.2, 4.1);
 * send('streamingStatistics', queue.report());
 * ```
 */
export class MessageQueue implements MessageSource {
  /** This node. */
  readonly nodeName: string;
  /** The cap in payload bytes. */
  readonly maxBytes: number;
  readonly #now: () => number;
  readonly #children = new Map<string, Child>();
  readonly #entries = new Fifo<Entry>();
  readonly #routes = new WeakMap<readonly StreamFlowStep[], Route>();
  readonly #watchers = new Set<(consumerNames: readonly string[]) => void>();
  #bytes = 0;
  #pending = 0;

  constructor(options: MessageQueueOptions) {
    const { nodeName, consumers, maxBytes } = options;
    if (typeof maxBytes !== 'number' || Number.isNaN(maxBytes) || maxBytes < 0) {
      throw new StreamQueueConfigError(nodeName, `maxBytes must be a number ≥ 0 (got ${String(maxBytes)})`);
    }
    for (const name of consumers) {
      if (typeof name !== 'string' || name === '') throw new StreamQueueConfigError(nodeName, 'a consumer name is empty');
      if (this.#children.has(name)) throw new StreamQueueConfigError(nodeName, `consumer '${name}' is listed twice`);
      this.#children.set(name, {
        name,
        fifo: new Fifo(),
        appended: 0,
        sent: 0,
        dropped: 0,
        responses: 0,
        netDurations: new RecentValues(REPORTED_DURATIONS),
        durations: new RecentValues(REPORTED_DURATIONS),
        queueDurations: new RecentValues(REPORTED_DURATIONS),
      });
    }
    this.nodeName = nodeName;
    this.maxBytes = maxBytes;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Payload bytes held for children that have not taken them. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Messages that some child still needs. */
  get pending(): number {
    return this.#pending;
  }

  /**
   * Queues a message for every child in `next` of this node's step of `flow`, and returns their names.
   * `[]` means no child is next on this flow: the message is dropped silently (§4.3, how a flow ends).
   * Before queueing, the oldest messages are dropped while the held bytes exceed the cap (§4.4), so the
   * queue holds at most `maxBytes` plus one message. The receivers get `restOfFlow(flow, nodeName)`.
   * `header` and `payload` are kept as given (not copied): do not reuse them.
   */
  append(flow: readonly StreamFlowStep[], header: Uint8Array, payload: Uint8Array): readonly string[] {
    const route = this.#route(flow);
    if (route.children.length === 0) return route.names;
    while (this.#bytes > this.maxBytes && this.#dropOldest());
    const entry: Entry = {
      message: { flow: route.rest, header, payload },
      size: payload.byteLength,
      appendedAt: this.#now(),
      remaining: route.children.length,
    };
    this.#entries.push(entry);
    this.#bytes += entry.size;
    this.#pending += 1;
    for (const child of route.children) {
      child.fifo.push(entry);
      child.appended += 1;
    }
    for (const watcher of this.#watchers) watcher(route.names);
    return route.names;
  }

  /** READY from a listener of `consumerName`: its next message (counted as sent), or `undefined`. */
  take(consumerName: string): QueuedMessage | undefined {
    const child = this.#children.get(consumerName);
    const entry = child?.fifo.shift();
    if (child === undefined || entry === undefined) return undefined;
    const message = entry.message;
    child.sent += 1;
    child.queueDurations.add(this.#now() - entry.appendedAt);
    this.#release(entry);
    return message;
  }

  /** DONE from a listener of `consumerName`: records the handler and round-trip durations (ms). */
  done(consumerName: string, netDurationMs: number, grossDurationMs: number): void {
    const child = this.#children.get(consumerName);
    if (child === undefined) return;
    child.responses += 1;
    child.netDurations.add(netDurationMs);
    child.durations.add(grossDurationMs);
  }

  /** Whether `name` is one of this node's children. */
  isConsumer(name: string): boolean {
    return this.#children.has(name);
  }

  /** Calls `listener` after each append with the children the message went to; returns the unsubscribe. */
  watch(listener: (consumerNames: readonly string[]) => void): () => void {
    this.#watchers.add(listener);
    return () => this.#watchers.delete(listener);
  }

  /**
   * The `streamingStatistics` entries (one per child, worker-protocol §7.3): cumulative counters and the
   * ≤10 most recent durations since the previous report, which starts a new window.
   */
  report(): StreamingStatisticsEntry[] {
    return [...this.#children.values()].map((child) => ({
      nodeName: child.name,
      sent: child.sent,
      queueSize: child.appended - child.sent - child.dropped,
      responses: child.responses,
      dropped: child.dropped,
      netDurations: child.netDurations.drain(),
      durations: child.durations.drain(),
      queueDurations: child.queueDurations.drain(),
    }));
  }

  /** What `api.getStreamingStatistics()` returns; does not reset anything. */
  snapshot(): StreamingStatisticsSnapshot {
    return {
      binarySize: this.#bytes,
      configuredMaxBinarySize: this.maxBytes,
      statisticsPerNode: [...this.#children.values()].map((child) => ({
        nodeName: child.name,
        sent: child.sent,
        queueSize: child.appended - child.sent - child.dropped,
        dropped: child.dropped,
      })),
    };
  }

  /** Forced stop: drops every waiting message, counting a drop for each child that had not taken it. */
  clear(): void {
    for (const child of this.#children.values()) {
      child.dropped += child.fifo.length;
      child.fifo.clear();
    }
    this.#entries.clear();
    this.#bytes = 0;
    this.#pending = 0;
  }

  #route(flow: readonly StreamFlowStep[]): Route {
    let route = this.#routes.get(flow);
    if (route === undefined) {
      const children: Child[] = [];
      for (const name of nextInFlow(flow, this.nodeName)) {
        const child = this.#children.get(name);
        if (child !== undefined && !children.includes(child)) children.push(child);
      }
      route =
        children.length === 0
          ? NO_ROUTE
          : { children, names: Object.freeze(children.map((child) => child.name)), rest: restOfFlow(flow, this.nodeName) };
      this.#routes.set(flow, route);
    }
    return route;
  }

  /** Drops the oldest message still needed; false when there is none. */
  #dropOldest(): boolean {
    const entry = this.#entries.peek();
    if (entry === undefined) return false;
    // The oldest live entry is at the head of every child FIFO that still holds it (FIFOs keep append order).
    for (const child of this.#children.values()) {
      if (child.fifo.peek() === entry) {
        child.fifo.shift();
        child.dropped += 1;
      }
    }
    entry.remaining = 1; // every holder dropped it: release it in one go
    this.#release(entry);
    return true;
  }

  /** One child is done with `entry`; frees it when it was the last. */
  #release(entry: Entry): void {
    entry.remaining -= 1;
    if (entry.remaining > 0) return;
    entry.message = undefined;
    this.#bytes -= entry.size;
    this.#pending -= 1;
    // Entries released out of order stay in the global FIFO as empty shells until they reach its head.
    while (this.#entries.peek()?.remaining === 0) this.#entries.shift();
  }
}
