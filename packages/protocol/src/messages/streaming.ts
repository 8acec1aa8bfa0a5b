/**
 * Payloads of the streaming commands on the worker socket (spec §7): discovery updates from the
 * worker, statistics to it, and the relay-only message commands of debug sessions (§7.6).
 *
 * @module
 */

import type { DiscoveryAddress } from './initialize.js';

/** Whether a parent's stream producer appeared or went away. */
export type DiscoveryChangeType = 'Add' | 'Del';

/**
 * One entry of `serviceDiscoveryUpdate`: open a stream listener to `tcp://<address.host>:<address.port>`
 * on `Add` (messages from it originate at `nodeName`), close it on `Del`.
 */
export interface ServiceDiscoveryChange {
  /** The parent node whose worker changed. */
  readonly nodeName: string;
  /** The parent's stream producer address (`STREAMING_DISCOVERY_PORT`; a string port is returned as a number). */
  readonly address: DiscoveryAddress;
  /** `Add` or `Del`. */
  readonly type: DiscoveryChangeType;
  /** Anything else. */
  readonly [key: string]: unknown;
}

/**
 * Per-child statistics sent in `streamingStatistics` (one entry per child node). `nodeName` must be one
 * of the task's `childs`, or the worker crashes (§5.10). The validator defaults missing counters to `0`
 * and missing duration lists to `[]`, as the worker does.
 */
export interface StreamingStatisticsEntry {
  /** The child node. */
  readonly nodeName: string;
  /** Messages sent to it. */
  readonly sent: number;
  /** Messages waiting in the producer queue. */
  readonly queueSize: number;
  /** Responses received from it. */
  readonly responses: number;
  /** Messages dropped (queue full). */
  readonly dropped: number;
  /** Processing times reported by consumers (ms). */
  readonly netDurations: readonly number[];
  /** Round-trip times (ms). */
  readonly durations: readonly number[];
  /** Times spent in the queue (ms). */
  readonly queueDurations: readonly number[];
  /** Anything else. */
  readonly [key: string]: unknown;
}

/** The relay's id of an input message (echo it back unchanged). */
export type StreamingMessageId = string | number;

/** `streamingInMessage` (relay → debug client): one stream input message for a stateful debug node. */
export interface StreamingInMessageData {
  /** The message. */
  readonly payload: unknown;
  /** The node it came from. */
  readonly origin: string;
  /** Id to echo in `streamingInMessageDone` and in replies (`streamingOutMessage`). */
  readonly sendMessageId: StreamingMessageId;
  /** Anything else. */
  readonly [key: string]: unknown;
}

/** `streamingOutMessage` (debug client → relay): send `message` on `flowName`, or as a reply to an input. */
export interface StreamingOutMessageData {
  /** The message to send. */
  readonly message: unknown;
  /** Flow to send on (the default flow when absent). */
  readonly flowName?: string;
  /** Id of the input being handled, or `null` for a fresh message. */
  readonly sendMessageId: StreamingMessageId | null;
  /** Anything else. */
  readonly [key: string]: unknown;
}

/** `streamingInMessageDone` (debug client → relay): the input with this id was handled; send the next one. */
export interface StreamingInMessageDoneData {
  /** Id from the `streamingInMessage`. */
  readonly sendMessageId: StreamingMessageId;
  /** Anything else. */
  readonly [key: string]: unknown;
}
