/**
 * The stream transport of a wrapper in a pod: ZeroMQ, loaded only when the first stream task arrives
 * (batch algorithms never load the native addon).
 *
 * @module
 */

import type { Logger } from '../../logging/logger.js';
import type { StreamTransport } from '../types.js';

/**
 * Creates the ZeroMQ stream transport. Rejects with `ZeroMqUnavailableError` when the optional
 * `zeromq` package cannot be loaded.
 */
export async function createDefaultStreamTransport(logger: Logger): Promise<StreamTransport> {
  const { createZeroMqStreamTransport } = await import('../zeromq/index.js');
  return createZeroMqStreamTransport({ logger });
}
