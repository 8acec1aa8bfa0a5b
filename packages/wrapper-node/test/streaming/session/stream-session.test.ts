import { NoSuchFlowError, StreamingClosedError } from '@hkube-ts/codeapi';
import { readStreamingEnv, type InitializePayload, type StreamingStatisticsEntry } from '@hkube-ts/protocol';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/index.js';
import { createMemoryStreamNetwork } from '../../../src/streaming/memory/network.js';
import { createMemoryStreamTransport } from '../../../src/streaming/memory/transport.js';
import { resolveFlow } from '../../../src/streaming/session/routing.js';
import { StreamSession } from '../../../src/streaming/session/stream-session.js';
import { MessageQueue } from '../../../src/streaming/queue/message-queue.js';
import { encodeStored, getCodec } from '@hkube-ts/protocol';

const parsedFlow = { main: [{ source: 'A', next: ['B'] }], side: [{ source: 'A', next: ['C'] }] };

function payload(nodeName: string, childs: string[]): InitializePayload {
  return { jobId: 'j', taskId: `t-${nodeName}`, nodeName, algorithmName: 'x', input: [], storage: {}, flatInput: {}, kind: 'stream', childs, parsedFlow, defaultFlow: 'main' };
}

async function open(network: ReturnType<typeof createMemoryStreamNetwork>, nodeName: string, childs: string[], port: number, reports: StreamingStatisticsEntry[][] = []) {
  return StreamSession.open({
    payload: payload(nodeName, childs),
    transport: createMemoryStreamTransport(network),
    settings: readStreamingEnv({ STREAMING_DISCOVERY_PORT: String(port), DISCOVERY_ENCODING: 'msgpack', STREAMING_STATISTICS_INTERVAL: '10', STREAMING_MAX_BUFFER_MB: '1' }),
    sendStatistics: (entries) => {
      reports.push(entries);
      return Promise.resolve();
    },
    logger: silentLogger,
  });
}

describe('resolveFlow', () => {
  const settings = { nodeName: 'A', parsedFlow, defaultFlow: 'main' };
  it('picks the named flow, else the incoming one, else the default', () => {
    const incoming = [{ source: 'A', next: ['Z'] }];
    expect(resolveFlow(settings, 'side', incoming)).toBe(parsedFlow.side);
    expect(resolveFlow(settings, undefined, incoming)).toBe(incoming);
    expect(resolveFlow(settings, undefined, undefined)).toBe(parsedFlow.main);
  });
  it('throws NoSuchFlowError for unknown names (own properties only) and a missing default', () => {
    expect(() => resolveFlow(settings, 'nope', undefined)).toThrow(new NoSuchFlowError('nope', 'A'));
    expect(() => resolveFlow(settings, 'toString', undefined)).toThrow('No such flow toString');
    expect(() => resolveFlow({ nodeName: 'A', parsedFlow }, undefined, undefined)).toThrow('Streaming default flow is null');
  });
});

describe('StreamSession', () => {
  it('delivers values and raw bytes to a child with origin and rest of flow; reports statistics for the childs', async () => {
    const network = createMemoryStreamNetwork();
    const reports: StreamingStatisticsEntry[][] = [];
    const a = await open(network, 'A', ['B', 'C'], 50_001, reports);
    const b = await open(network, 'B', [], 50_002);
    const got: unknown[] = [];
    b.registerInputListener((message, origin) => void got.push([message, origin]));
    b.updateDiscovery([{ nodeName: 'A', address: a.address!, type: 'Add' }]);
    b.updateDiscovery([{ nodeName: 'A', address: a.address!, type: 'Add' }]); // a repeated Add opens nothing more
    b.startMessageListening();
    a.sendMessage({ n: 1 });
    a.sendMessage(Buffer.from([1, 2, 3]));
    a.sendMessage('to C only', 'side');
    await expect.poll(() => got.length).toBe(2);
    expect(got).toEqual([[{ n: 1 }, 'A'], [Buffer.from([1, 2, 3]), 'A']]);
    expect(a.getStreamingStatistics().statisticsPerNode).toEqual([
      { nodeName: 'B', sent: 2, queueSize: 0, dropped: 0 },
      { nodeName: 'C', sent: 0, queueSize: 1, dropped: 0 },
    ]);
    await expect.poll(() => reports.at(-1)?.find((e) => e.nodeName === 'B')?.responses).toBe(2);
    expect(reports.every((entries) => entries.map((e) => e.nodeName).join() === 'B,C')).toBe(true);
    await Promise.all([a.close('test', true), b.close('test')]);
    expect(a.pending).toBe(0);
  });

  it('a node without children serves nothing, reports nothing and has empty statistics', async () => {
    const sink = await open(createMemoryStreamNetwork(), 'B', [], 50_003);
    expect(sink.isProducer).toBe(false);
    expect(sink.address).toBeUndefined();
    expect(sink.getStreamingStatistics()).toEqual({ binarySize: 0, configuredMaxBinarySize: 2 ** 20, statisticsPerNode: [] });
    await sink.close('test');
  });

  it('drain waits for the children, ticking meanwhile; sendMessage after close is a typed error', async () => {
    const network = createMemoryStreamNetwork();
    const a = await open(network, 'A', ['B'], 50_004);
    a.sendMessage(1);
    let ticks = 0;
    const drained = a.drain({ onTick: () => ticks++, tickMs: 5 });
    await expect.poll(() => ticks).toBeGreaterThan(1);
    const b = await open(network, 'B', [], 50_005);
    b.updateDiscovery([{ nodeName: 'A', address: a.address!, type: 'Add' }]);
    b.startMessageListening();
    expect(await drained).toBe(true);
    await a.close('done');
    expect(() => a.sendMessage(2)).toThrow(StreamingClosedError);
    await b.close('done');
  });

  it('stopInputs ends listening: later discovery changes open no listener', async () => {
    const network = createMemoryStreamNetwork();
    const a = await open(network, 'A', ['B'], 50_006);
    const b = await open(network, 'B', [], 50_007);
    const got: unknown[] = [];
    b.registerInputListener((message) => void got.push(message));
    b.startMessageListening();
    await b.stopInputs();
    b.updateDiscovery([{ nodeName: 'A', address: a.address!, type: 'Add' }]);
    a.sendMessage(1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(got).toEqual([]);
    expect(a.pending).toBe(1);
    await Promise.all([a.close('t', true), b.close('t')]);
  });

  it('skips a message its codec cannot decode and keeps receiving', async () => {
    const network = createMemoryStreamNetwork();
    const queue = new MessageQueue({ nodeName: 'A', consumers: ['B'], maxBytes: Infinity });
    const server = await createMemoryStreamTransport(network).serve(queue, { port: 50_008, encoding: 'msgpack' });
    const b = await open(network, 'B', [], 50_009);
    const got: unknown[] = [];
    b.registerInputListener((message) => void got.push(message));
    b.updateDiscovery([{ nodeName: 'A', address: server.address, type: 'Add' }]);
    b.startMessageListening();
    const good = encodeStored('fine', getCodec('msgpack'));
    queue.append(parsedFlow.main, good.header, Uint8Array.of(0xc1)); // 0xc1 is never valid msgpack
    queue.append(parsedFlow.main, good.header, good.payload);
    await expect.poll(() => got).toEqual(['fine']);
    expect(queue.report()[0]).toMatchObject({ sent: 2, responses: 2 });
    await Promise.all([b.close('t'), server.close()]);
  });
});
