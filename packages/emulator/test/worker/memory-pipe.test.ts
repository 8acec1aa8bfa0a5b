import { createSocketCodec } from '@hkube-ts/protocol';
import { createMemoryPipe, run, type Algorithm } from '@hkube-ts/wrapper-node';
import { describe, expect, it } from 'vitest';

// The in-memory transport of @hkube-ts/wrapper-node: one WebSocket-like connection in a process.
describe('createMemoryPipe', () => {
  it('delivers frames in order, asynchronously, and a close once to both ends', async () => {
    const { transport, peer } = createMemoryPipe();
    const toWrapper: unknown[] = [];
    const closes: string[] = [];
    peer.send('queued before connect');
    const connection = await transport.connect({ onFrame: (frame) => toWrapper.push(frame), onClose: (info) => closes.push(`wrapper ${info.code}`) });
    const toPeer: unknown[] = [];
    peer.onFrame((frame) => toPeer.push(frame));
    peer.onClose((info) => closes.push(`peer ${info.code} ${info.reason}`));
    await connection.send(Buffer.from([1, 2]));
    await connection.send('text');
    peer.send('second');
    expect(toPeer).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(toPeer).toEqual([Buffer.from([1, 2]), 'text']);
    expect(toWrapper).toEqual(['queued before connect', 'second']);
    peer.close(4001, 'bye');
    await expect(connection.send('late')).rejects.toThrow('closed');
    await new Promise((resolve) => setImmediate(resolve));
    expect(closes.sort()).toEqual(['peer 4001 bye', 'wrapper 4001']);
    await expect(transport.connect({ onFrame: () => undefined, onClose: () => undefined })).rejects.toMatchObject({ code: 'CONNECT_FAILED' });
  });

  it('serves a real wrapper through run(): initialize → initialized, start → started → done', async () => {
    const { transport, peer } = createMemoryPipe();
    const codec = createSocketCodec('json');
    const received: string[] = [];
    const algorithm: Algorithm = { start: ({ input }) => input.length };
    const serving = run(algorithm, { transport, storageMode: 'v1', exitProcess: false, env: { WORKER_ALGORITHM_ENCODING: 'json' }, logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } });
    const done = new Promise<unknown>((resolve) => {
      peer.onFrame((frame) => {
        const read = codec.readAlgorithmMessage(frame);
        if (!read.ok) throw read.error;
        received.push(read.value.command);
        if (read.value.command === 'initialized') peer.send(codec.encode({ command: 'start', data: { spanId: null } }));
        if (read.value.command === 'done') resolve(read.value.data);
      });
    });
    peer.send(codec.encode({ command: 'initialize', data: { jobId: 'j', taskId: 't', nodeName: 'n', algorithmName: 'a', input: [1, 2, 3], storage: {}, flatInput: null } }));
    expect(await done).toBe(3);
    expect(received).toEqual(['initialized', 'started', 'done']);
    peer.send(codec.encode({ command: 'exit', data: { exitCode: 0 } }));
    expect(await serving).toEqual({ reason: 'exit', exitCode: 0 });
  });
});
