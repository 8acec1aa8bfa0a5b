import { Encoding } from '@hkube/encoding';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initializePayload } from './support/initialize.js';
import { ScriptedWorker } from './support/scripted-worker.js';
import { spawnWrapper, type WrapperProcess } from './support/spawn-wrapper.js';

// The hkube-wrapper bin as a real child process, against a worker that frames with @hkube/encoding.
const ENCODINGS = ['json', 'bson', 'msgpack'] as const;
const MODES = ['v1', 'v3'] as const;

let worker: ScriptedWorker;
let wrapper: WrapperProcess | undefined;
let storageDir: string;

beforeEach(async () => {
  worker = await ScriptedWorker.start();
  storageDir = await mkdtemp(join(tmpdir(), 'hkube-ts-wrapper-'));
});

afterEach(async () => {
  wrapper?.kill();
  wrapper = undefined;
  await worker.close();
  await rm(storageDir, { recursive: true, force: true });
});

function start(encoding: string, storage: string, env: Record<string, string> = {}): WrapperProcess {
  wrapper = spawnWrapper(worker.port, {
    WORKER_ALGORITHM_ENCODING: encoding,
    STORAGE_PROTOCOL: storage,
    STORAGE_ENCODING: encoding === 'json' ? 'bson' : encoding,
    BASE_FS_ADAPTER_DIRECTORY: storageDir,
    ...env,
  });
  return wrapper;
}

describe.each(ENCODINGS)('encoding %s', (encoding) => {
  describe.each(MODES)('storage %s', (storage) => {
    it('asks for its encoding and storage mode, and answers initialize → initialized, start → started → done', async () => {
      start(encoding, storage);
      await worker.connected();
      expect(worker.query.get('encoding')).toBe(encoding);
      expect(worker.query.get('storage')).toBe(storage);
      worker.send({ command: 'initialize', data: initializePayload({ input: [1, 'two', { three: 3 }] }) });
      await worker.next('initialized');
      worker.send({ command: 'start', data: { spanId: null } });
      const done = await worker.next('done');
      if (storage === 'v1') {
        expect(worker.commands).toEqual(['initialized', 'started', 'done']);
        expect(done.data).toEqual([1, 'two', { three: 3 }]);
      } else {
        expect(worker.commands).toEqual(['initialized', 'started', 'storing', 'done']);
        const storing = worker.received[2]!.data as { storageInfo: { path: string; size: number } };
        expect(storing.storageInfo.path).toBe('local-hkube/job-1/task-1');
        const file = await readFile(join(storageDir, storing.storageInfo.path));
        expect(storing.storageInfo.size).toBe(file.length - 8);
        const storageEncoding = new Encoding({ type: encoding === 'json' ? 'bson' : encoding });
        expect(storageEncoding.decode(file, { customEncode: true })).toEqual([1, 'two', { three: 3 }]);
      }
      expect(worker.rawFrames.every((f) => f.isBinary === (encoding !== 'json'))).toBe(true);
    });

    it('serves a second task on the same connection', async () => {
      start(encoding, storage);
      await worker.connected();
      for (const taskId of ['t-1', 't-2']) {
        const from = worker.received.length;
        worker.send({ command: 'initialize', data: initializePayload({ taskId, input: [taskId] }) });
        await worker.next('initialized', 10_000, from);
        worker.send({ command: 'start', data: { spanId: null } });
        await worker.next('done', 10_000, from);
      }
      expect(worker.commands.filter((c) => c === 'initialized')).toHaveLength(2);
      expect(worker.connections).toBe(1);
    });
  });
});

describe('stop, exit and errors (bson, v3)', () => {
  it('stop during a long start answers stopped, calls stop({forceStop}), and never sends storing or done', async () => {
    const wrapper = start('bson', 'v3');
    await worker.connected();
    worker.send({ command: 'initialize', data: initializePayload({ input: ['slow'] }) });
    await worker.next('initialized');
    worker.send({ command: 'start', data: { spanId: null } });
    await worker.next('started');
    const sent = Date.now();
    worker.send({ command: 'stop', data: { forceStop: true } });
    await worker.next('stopped', 5000);
    expect(Date.now() - sent).toBeLessThan(5000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(worker.commands).toEqual(['initialized', 'started', 'stopped']);
    expect(wrapper.stdout()).toContain('stop {"forceStop":true}');
  });

  it('exit {exitCode: 3} runs the exit hook and ends the process with code 3', async () => {
    const wrapper = start('msgpack', 'v3');
    await worker.connected();
    worker.send({ command: 'initialize', data: initializePayload() });
    await worker.next('initialized');
    worker.send({ command: 'exit', data: { exitCode: 3 } });
    expect((await wrapper.exited).code).toBe(3);
    expect(wrapper.stdout()).toContain('exit {"exitCode":3}');
  });

  it('SIGTERM during a task stops it, runs the exit hook and exits 0', async () => {
    const wrapper = start('bson', 'v3');
    await worker.connected();
    worker.send({ command: 'initialize', data: initializePayload({ input: ['slow'] }) });
    await worker.next('initialized');
    worker.send({ command: 'start', data: { spanId: null } });
    await worker.next('started');
    wrapper.child.kill('SIGTERM');
    expect((await wrapper.exited).code).toBe(0);
    expect(wrapper.stdout()).toContain('exit {"exitCode":0}');
    expect(worker.commands).toEqual(['initialized', 'started']);
  });

  it('an error thrown in start becomes errorMessage with its message and stack', async () => {
    start('json', 'v3');
    await worker.connected();
    worker.send({ command: 'initialize', data: initializePayload({ input: ['throw'] }) });
    await worker.next('initialized');
    worker.send({ command: 'start', data: { spanId: null } });
    const error = await worker.next('errorMessage');
    expect(error.error?.code).toBe('Failed');
    expect(error.error?.message).toBe('boom from start');
    expect(String(error.error?.details)).toContain('echo.mjs');
    expect(worker.commands).toEqual(['initialized', 'started', 'errorMessage']);
  });

  it('a non-Error throw is normalised into a message', async () => {
    start('bson', 'v1');
    await worker.connected();
    worker.send({ command: 'initialize', data: initializePayload({ input: ['throw-string'] }) });
    await worker.next('initialized');
    worker.send({ command: 'start', data: { spanId: null } });
    expect((await worker.next('errorMessage')).error?.message).toBe('a plain string');
  });

  it('a start without a tracing carrier works', async () => {
    start('msgpack', 'v1');
    await worker.connected();
    worker.send({ command: 'initialize', data: initializePayload({ input: [5], spanId: undefined }) });
    await worker.next('initialized');
    worker.send({ command: 'start' });
    expect((await worker.next('done')).data).toEqual([5]);
  });
});

describe('what must never happen (worker-protocol §5.10)', () => {
  it('sends nothing before initialize', async () => {
    start('bson', 'v3');
    await worker.connected();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(worker.received).toEqual([]);
  });

  it('survives malformed frames and still serves the next initialize', async () => {
    const wrapper = start('bson', 'v3');
    await worker.connected();
    worker.sendRaw(Buffer.from([1, 2, 3, 4, 5, 6]));
    worker.sendRaw('not even json', false);
    worker.send({ command: 'initialize', data: null });
    worker.send({ data: { x: 1 } } as never);
    worker.send({ command: 'stop', data: { forceStop: 'yes' } });
    worker.send({ command: 'exit', data: { exitCode: 'three' } });
    worker.send({ command: 'initialize', data: { jobId: 5 } });
    worker.send({ command: 'no-such-command', data: {} });
    await new Promise((resolve) => setTimeout(resolve, 300));
    worker.send({ command: 'initialize', data: initializePayload({ input: [7] }) });
    await worker.next('initialized');
    worker.send({ command: 'start', data: { spanId: null } });
    await worker.next('done');
    expect(wrapper.child.exitCode).toBeNull();
  });

  it('survives a json null frame and random bytes in json mode', async () => {
    const wrapper = start('json', 'v1');
    await worker.connected();
    worker.sendRaw('null', false);
    worker.sendRaw(Buffer.from([0xff, 0x00, 0x13]), true);
    worker.sendRaw('{"command":42}', false);
    worker.send({ command: 'initialize', data: initializePayload() });
    await worker.next('initialized');
    expect(wrapper.child.exitCode).toBeNull();
  });

  it('does not reconnect after the worker closes the socket, and exits non-zero', async () => {
    const wrapper = start('bson', 'v3');
    await worker.connected();
    worker.send({ command: 'initialize', data: initializePayload() });
    await worker.next('initialized');
    worker.closeClient(1011, 'worker gone');
    expect((await wrapper.exited).code).toBe(1);
    expect(worker.connections).toBe(1);
  });

  it('stops on the debug relay’s alreadyConnectedError + 4001, naming the other host, without reconnecting', async () => {
    const wrapper = start('bson', 'v1');
    await worker.connected();
    worker.send({ command: 'alreadyConnectedError', data: { hostname: 'alice-laptop' } });
    worker.closeClient(4001, 'already connected');
    const { code } = await wrapper.exited;
    expect(code).toBe(1);
    expect(wrapper.stderr()).toContain("from host 'alice-laptop'");
    expect(worker.connections).toBe(1);
  });

  it('answers stop with stopped (not done) when the task already finished, and sends no alive by default', async () => {
    start('msgpack', 'v3');
    await worker.connected();
    worker.send({ command: 'initialize', data: initializePayload({ input: [1] }) });
    await worker.next('initialized');
    worker.send({ command: 'start', data: { spanId: null } });
    await worker.next('done');
    worker.send({ command: 'stop', data: { forceStop: false } });
    await worker.next('stopped');
    expect(worker.commands).toEqual(['initialized', 'started', 'storing', 'done', 'stopped']);
  });

  it('reports an algorithm module without start as errorMessage on initialize', async () => {
    start('bson', 'v3', { ALGORITHM_ENTRY_POINT: 'no-start.mjs' });
    await worker.connected();
    worker.send({ command: 'initialize', data: initializePayload() });
    const error = await worker.next('errorMessage');
    expect(error.error?.message).toMatch(/does not export a start function/);
    expect(worker.commands).toEqual(['errorMessage']);
  });
});

describe('algorithm modules', () => {
  it.each([
    ['commonjs.cjs', [1, 2, 3], { sum: 6 }],
    ['default-export.mjs', [1, 2], 'default:2'],
  ])('%s loads and runs', async (entry, input, expected) => {
    start('msgpack', 'v1', { ALGORITHM_ENTRY_POINT: entry });
    await worker.connected();
    worker.send({ command: 'initialize', data: initializePayload({ input }) });
    await worker.next('initialized');
    worker.send({ command: 'start', data: { spanId: null } });
    expect((await worker.next('done')).data).toEqual(expected);
  });
});
