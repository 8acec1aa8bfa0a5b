import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createZeroMqStreamTransport } from '../../../src/streaming/zeromq/index.js';
import { parseFlows, shutdown, startNode, until, type StreamNode } from './harness.js';

// Two runners in this process streaming over real ZeroMQ sockets on 127.0.0.1.
let nodes: StreamNode[] = [];
afterEach(async () => {
  await shutdown(nodes);
  nodes = [];
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('streaming over ZeroMQ', () => {
  it('a stateful producer and a stateless consumer in two runners: every message arrives, then the producer is done', async () => {
    const flows = parseFlows({ main: 'green >> yellow' });
    const got: unknown[] = [];
    const green = startNode(undefined, {
      name: 'green',
      childs: ['yellow'],
      flows,
      defaultFlow: 'main',
      port: await freePort(),
      streamTransport: await createZeroMqStreamTransport(),
      algorithm: {
        start: (_args, api) => {
          for (let i = 0; i < 20; i++) api.sendMessage({ i, bytes: Buffer.from([i]) });
          return 'sent';
        },
      },
    });
    const yellow = startNode(undefined, {
      name: 'yellow',
      stateType: 'stateless',
      parents: ['green'],
      flows,
      defaultFlow: 'main',
      port: await freePort(),
      streamTransport: await createZeroMqStreamTransport(),
      algorithm: { start: ({ streamInput }) => void got.push(streamInput!.message) },
    });
    nodes = [green, yellow];
    await yellow.begin();
    yellow.addParents(green);
    await green.begin();
    await green.worker.next('done');
    await until(() => got.length === 20, '20 messages at yellow');
    expect(got.map((m) => (m as { i: number }).i)).toEqual([...Array(20).keys()]);
    expect(Buffer.from((got[3] as { bytes: Uint8Array }).bytes)).toEqual(Buffer.from([3]));
    expect(green.worker.commands.filter((c) => c !== 'streamingStatistics')).toEqual(['initialized', 'started', 'storing', 'done']);
  });
});
