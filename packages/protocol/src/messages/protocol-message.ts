/**
 * Helper types spanning both directions. No command name is used in both directions, so a command
 * alone identifies a message type.
 *
 * @module
 */

import type { AlgorithmMessage } from './algorithm-messages.js';
import type { WorkerMessage } from './worker-messages.js';

/** Any message on the worker socket, in either direction. */
export type ProtocolMessage = WorkerMessage | AlgorithmMessage;

/** Any command name, in either direction. */
export type ProtocolCommand = ProtocolMessage['command'];

/**
 * The message type of a command, whichever direction it travels.
 *
 * @example
 * ```ts
 * function onStop(message: MessageOf<'stop'>) { return message.data.forceStop; }
 * type StoringData = MessageOf<'storing'>['data']; // StorageDescriptor
 * ```
 */
export type MessageOf<C extends ProtocolCommand> = Extract<ProtocolMessage, { readonly command: C }>;
