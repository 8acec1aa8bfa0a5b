import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { debug, run, silentLogger, type Algorithm, type ServeOutcome } from '../src/index.js';
import { initializePayload } from './support/initialize.js';
import { ScriptedWorker } from './support/scripted-worker.js';

// The runner in this process (run() / debug() with exitProcess: false) against a scripted worker.
let worker: ScriptedWorker;
let controller: AbortController;
let serving: Promise<ServeOutcome> | undefined;

beforeEach(async () => {
  worker = await ScriptedWorker.start();
  controller = new AbortController();
});

afterEach(async () => {
  controller.abort();
  await serving?.catch(() => undefined);
  serving = undefined;
  await worker.close();
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function serve(algorithm: Algorithm, options: { heartbeatIntervalMs?: number; encoding?: string } = {}): void {
  serving = run(algorithm, {
    exitProcess: false,
    logger: silentLogger,
    signal: controller.signal,
    env: {
      WORKER_SOCKET_HOST: '127.0.0.1',
      WORKER_SOCKET_PORT: String(worker.port),
      WORKER_ALGORITHM_ENCODING: options.encoding ?? 'msgpack',
      STORAGE_PROTOCOL: 'v1',
    },
    ...(options.heartbeatIntervalMs ? { heartbeatIntervalMs: options.heartbeatIntervalMs } : {}),
  });
}

describe('lifecycle edge cases', () => {
  it('a stop during init suppresses initialized and is answered with stopped', async () => {
    let releaseInit!: () => void;
    serve({
      init: () => new Promise<void>((resolve) => (releaseInit = resolve)),
      start: () => 'never',
    });
    await worker.connected();
    worker.send({ command: 'initialize', data: initializePayload() });
    await sleep(100);
    worker.send({ command: 'stop', data: { forceStop: true } });
    await sleep(50);
    releaseInit();
    await worker.next('stopped');
    await sleep(100);
    expect(worker.commands).toEqual(['stopped']);
  });

  it('a repeated initialize and start (as the debug relay replays them) get one answer each task', async () => {
    let starts = 0;
    serve({
      init: () => sleep(50),
      start: ({ input }) => {
        starts++;
        return input;
      },
    });
    await worker.connected();
    worker.send({ command: 'initialize', data: initializePayload({ input: [1] }) });
    worker.send({ command: 'start', data: { spanId: null } });
    worker.send({ command: 'initialize', data: initializePayload({ input: [1] }) });
    worker.send({ command: 'start', data: { spanId: null } });
    await worker.next('done');
    await sleep(200);
    expect(worker.commands).toEqual(['initialized', 'started', 'done']);
    expect(starts).toBe(1);
  });

  it('sends alive only between initialized and the final message when heartbeats are on', async () => {
    serve({ start: () => sleep(250).then(() => 'ok') }, { heartbeatIntervalMs: 40 });
    await worker.connected();
    worker.send({ command: 'initialize', data: initializePayload() });
    await worker.next('initialized');
    worker.send({ command: 'start', data: { spanId: null } });
    await worker.next('done');
    const atDone = worker.commands.length;
    await sleep(200);
    const commands = worker.commands;
    expect(commands.length).toBe(atDone);
    expect(commands.filter((c) => c === 'alive').length).toBeGreaterThan(1);
    expect(commands.indexOf('alive')).toBeGreaterThan(commands.indexOf('initialized'));
    expect(commands.lastIndexOf('alive')).toBeLessThan(commands.indexOf('done'));
  });

  it('args.signal aborts on stop with a TaskStoppedError, and stop gets the options', async () => {
    let reason: unknown;
    let stopOptions: unknown;
    serve({
      start: ({ signal }) =>
        new Promise((_, reject) => {
          signal.addEventListener('abort', () => {
            reason = signal.reason;
            reject(signal.reason as Error);
          });
        }),
      stop: (options) => {
        stopOptions = options;
      },
    });
    await worker.connected();
    worker.send({ command: 'initialize', data: initializePayload() });
    await worker.next('initialized');
    worker.send({ command: 'start', data: { spanId: null } });
    await worker.next('started');
    worker.send({ command: 'stop', data: { forceStop: false } });
    await worker.next('stopped');
    await sleep(50);
    expect(worker.commands).toEqual(['initialized', 'started', 'stopped']);
    expect((reason as { code?: string }).code).toBe('TASK_STOPPED');
    expect(stopOptions).toEqual({ forceStop: false });
  });

  it('start gets the payload, input and an enumerable signal that a copy keeps; one never read before stop is aborted after it', async () => {
    const seen: { keys: string[]; copy?: Record<string, unknown>; args: { signal: AbortSignal } }[] = [];
    serve({
      start: (args) => {
        // The first task copies its arguments (reading the signal); the second never touches it.
        if (seen.length === 0) {
          seen.push({ keys: Object.keys(args), copy: { ...args }, args });
          return args.input.length;
        }
        seen.push({ keys: [], args });
        return new Promise(() => undefined);
      },
    });
    await worker.connected();
    worker.send({ command: 'initialize', data: initializePayload({ taskId: 'task-a', input: [1, 2] }) });
    await worker.next('initialized');
    worker.send({ command: 'start', data: { spanId: null } });
    expect((await worker.next('done')).data).toBe(2);
    const from = worker.commands.length;
    worker.send({ command: 'initialize', data: initializePayload({ taskId: 'task-b' }) });
    await worker.next('initialized', undefined, from);
    worker.send({ command: 'start', data: { spanId: null } });
    await worker.next('started', undefined, from);
    worker.send({ command: 'stop', data: { forceStop: true } });
    await worker.next('stopped');
    const [first, second] = seen;
    expect(first?.keys).toEqual(expect.arrayContaining(['taskId', 'jobId', 'input', 'signal']));
    expect(first?.copy).toMatchObject({ taskId: 'task-a', input: [1, 2] });
    expect(first?.copy?.['signal']).toBeInstanceOf(AbortSignal);
    expect(first?.copy?.['signal']).toBe(first?.args.signal);
    expect(second?.args.signal.aborted).toBe(true);
    expect((second?.args.signal.reason as { code?: string }).code).toBe('TASK_STOPPED');
  });

  it('exit resolves run() with the exit code after the exit hook', async () => {
    const exits: unknown[] = [];
    serve({ start: () => 1, exit: (options) => void exits.push(options) });
    await worker.connected();
    worker.send({ command: 'initialize', data: initializePayload() });
    await worker.next('initialized');
    worker.send({ command: 'exit', data: { exitCode: 4 } });
    await expect(serving).resolves.toEqual({ reason: 'exit', exitCode: 4 });
    expect(exits).toEqual([{ exitCode: 4 }]);
  });

  it('answers each kind of start outcome once, after started: a value, a thenable, a rejected thenable, a thrown non-Error', async () => {
    const outcomes: Array<() => unknown> = [
      () => 7,
      // Not a native promise: only `then` is looked at.
      () => ({ then: (resolve: (value: unknown) => void) => setTimeout(() => resolve('later'), 5) }),
      () => ({ then: (_resolve: unknown, reject: (error: unknown) => void) => reject(new Error('thenable failed')) }),
      () => {
        throw 'a string'; // eslint-disable-line @typescript-eslint/only-throw-error -- what a careless algorithm does
      },
    ];
    let call = 0;
    serve({ start: () => outcomes[call++]!() });
    await worker.connected();
    const ends: Array<{ command: string; data?: unknown; message?: string }> = [];
    for (let i = 0; i < outcomes.length; i++) {
      const from = worker.received.length;
      worker.send({ command: 'initialize', data: initializePayload({ taskId: `task-${i}` }) });
      await worker.next('initialized', 10_000, from);
      worker.send({ command: 'start', data: { spanId: null } });
      const end = await Promise.race([worker.next('done', 10_000, from), worker.next('errorMessage', 10_000, from)]);
      ends.push({ command: end.command, ...(end.command === 'done' ? { data: end.data } : { message: end.error?.message }) });
      expect(worker.commands.slice(from)).toEqual(['initialized', 'started', end.command]);
    }
    expect(ends).toEqual([
      { command: 'done', data: 7 },
      { command: 'done', data: 'later' },
      { command: 'errorMessage', message: 'thenable failed' },
      { command: 'errorMessage', message: 'a string' },
    ]);
  });

  it('hands start a Code API whose methods `in` finds and whose object has no own keys', async () => {
    let seen: { has: boolean; keys: string[]; type: string } | undefined;
    serve({
      start: (_args, api) => {
        seen = { has: 'startAlgorithm' in api && 'sendMessage' in api, keys: Object.keys(api), type: typeof api.progress };
        return 1;
      },
    });
    await worker.connected();
    worker.send({ command: 'initialize', data: initializePayload() });
    await worker.next('initialized');
    worker.send({ command: 'start', data: { spanId: null } });
    await worker.next('done');
    expect(seen).toEqual({ has: true, keys: [], type: 'function' });
  });

  it('a v1 result the encoding cannot carry ends the task with errorMessage', async () => {
    serve({ start: () => ({ big: 10n }) });
    await worker.connected();
    worker.send({ command: 'initialize', data: initializePayload() });
    await worker.next('initialized');
    worker.send({ command: 'start', data: { spanId: null } });
    const error = await worker.next('errorMessage');
    expect(error.error?.message).toMatch(/cannot be sent/);
  });
});

describe('the Code API through the wrapper (v1)', () => {
  it('sends progress and startAlgorithmExecution, and settles with the worker’s reply', async () => {
    serve({
      start: async (_args, api) => {
        await api.progress(50);
        return await api.startAlgorithm<number>('green-alg', [21]);
      },
    });
    await worker.connected();
    worker.send({ command: 'initialize', data: initializePayload() });
    await worker.next('initialized');
    worker.send({ command: 'start', data: { spanId: null } });
    const request = await worker.next('startAlgorithmExecution');
    expect(request.data).toMatchObject({ algorithmName: 'green-alg', input: [21], includeResult: true });
    expect((await worker.next('progress')).data).toEqual({ progress: 50 });
    worker.send({ command: 'algorithmExecutionDone', data: { execId: (request.data as { execId: string }).execId, response: 42 } });
    expect((await worker.next('done')).data).toBe(42);
  });

  it('rejects pending executions when the task is stopped, and sends nothing after stopped', async () => {
    let rejection: unknown;
    serve({
      start: async (_args, api) => {
        try {
          return await api.startAlgorithm('slow-alg', [1]);
        } catch (error) {
          rejection = error;
          throw error;
        }
      },
    });
    await worker.connected();
    worker.send({ command: 'initialize', data: initializePayload() });
    await worker.next('initialized');
    worker.send({ command: 'start', data: { spanId: null } });
    await worker.next('startAlgorithmExecution');
    worker.send({ command: 'stop', data: { forceStop: true } });
    await worker.next('stopped');
    await sleep(100);
    expect(worker.commands).toEqual(['initialized', 'started', 'startAlgorithmExecution', 'stopped']);
    expect((rejection as { code?: string }).code).toMatch(/CLOSED|STOPPED/);
  });
});

describe('debug()', () => {
  it('dials /<prefix>/hkube/debug/<name> with storage v1, and forwards output printed in init and start', async () => {
    const session = debug(
      { hkubeUrl: `http://127.0.0.1:${worker.port}/my-prefix/`, algorithmName: 'green-alg' },
      {
        // process.stdout.write, not console.log: vitest captures console calls before they reach stdout.
        init: () => void process.stdout.write('hello from init\n'),
        start: () => {
          process.stdout.write('hello from start\n');
          return 42;
        },
      },
      { forwardLogs: true, encoding: 'json', logger: silentLogger, signal: controller.signal },
    );
    serving = session;
    await worker.connected();
    expect(worker.path).toBe('/my-prefix/hkube/debug/green-alg');
    expect(worker.query.get('storage')).toBe('v1');
    expect(worker.query.get('encoding')).toBe('json');
    worker.send({ command: 'initialize', data: initializePayload() });
    worker.send({ command: 'start', data: initializePayload() });
    expect((await worker.next('done')).data).toBe(42);
    await sleep(100);
    const logs = worker.received.filter((f) => f.command === 'logData').flatMap((f) => f.data as string[]);
    expect(logs).toEqual(expect.arrayContaining(['hello from init', 'hello from start']));
  });
});
