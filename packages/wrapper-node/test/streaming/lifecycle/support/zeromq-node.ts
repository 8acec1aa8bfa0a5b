import { freePortPair } from '../../../../src/data/index.js';
import { createZeroMqStreamTransport } from '../../../../src/streaming/zeromq/index.js';
import type { StreamTransport } from '../../../../src/streaming/types.js';

/** Spread into a node spec: the node streams over its own ZeroMQ transport, on a free port of 127.0.0.1. */
export async function overZeroMq(): Promise<{ port: number; streamTransport: StreamTransport }> {
  return { port: await freePortPair(), streamTransport: await createZeroMqStreamTransport() };
}
