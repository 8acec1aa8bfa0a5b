import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { debug, silentLogger, type Algorithm } from '@hkube-ts/wrapper-node';
import { filter, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type DebugWaiting, type EdgeStatistics, type Emulator } from '../../src/index.js';
import { FIXTURES, PACKAGE_ROOT, wrapperCommand } from '../support/built.js';
import { countingStateless, expectCompleted, FAST_STREAMING, OriginCounter, streamPipeline, untilStopped } from './helpers.js';

// Stream debug nodes (worker-protocol §1.6, §7.6; pipeline-semantics §5.4): the node is a stream node
// whose algorithm runs in a debugger attached with `debug()` at the emulator's debug URL.
const sessions: AbortController[] = [];
let emulator: Emulator | undefined;

afterEach(async () => {
  for (const controller of sessions.splice(0)) controller.abort();
  await emulator?.close();
  emulator = undefined;
});

/** Attaches `algorithm` as the debugger of `algorithmName`, in this process. */
async function attach(algorithmName: string, algorithm: Algorithm): Promise<unknown> {
  const controller = new AbortController();
  sessions.push(controller);
  return debug(await emulator!.debugUrl(algorithmName), algorithm, { exitProcess: false, logger: silentLogger, signal: controller.signal });
}

function edge(edges: readonly EdgeStatistics[], source: string, target: string): EdgeStatistics | undefined {
  return edges.find((entry) => entry.source === source && entry.target === target);
}

/** A stateful source sending 1..count, then running until the job stops it. */
function counting(count: number): Algorithm {
  return {
    start: async ({ signal }, api) => {
      for (let i = 1; i <= count; i += 1) api.sendMessage(i);
      await untilStopped(signal);
    },
  };
}

/** A stateful sink returning the first `count` messages it got, once `release` resolves. */
function collecting(count: number, release: Promise<void> = Promise.resolve()): Algorithm {
  return {
    start: async (_args, api) => {
      const seen: unknown[] = [];
      for await (const { message, origin } of api.messages()) {
        seen.push({ message, origin });
        if (seen.length === count) break;
      }
      await release;
      return seen;
    },
  };
}

describe('a stateful debug node in a stream pipeline', () => {
  it('gets its inputs in the debugger, whose messages continue their flow or go on the named one; statistics count them', async () => {
    emulator = await createEmulator({ streaming: FAST_STREAMING });
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const audit = new OriginCounter(5);
    emulator.registerAlgorithm('src', counting(10));
    emulator.registerAlgorithm('sink', collecting(10, released));
    emulator.registerAlgorithm('audit', countingStateless(audit));
    const waits: DebugWaiting[] = [];
    const pipeline = streamPipeline('relayed', { src: 'stateful', mid: { stateType: 'stateful', kind: 'debug' }, sink: 'stateful', audit: 'stateless' }, { main: 'src >> mid >> sink', side: 'mid >> audit' }, 'main');
    const job = emulator.runPipeline(pipeline, { onDebugWaiting: (waiting) => waits.push(waiting) });
    expect(job.warnings).toEqual([]);
    const kinds: unknown[] = [];
    const attached = attach('mid', {
      start: async ({ signal, kind }, api) => {
        kinds.push(kind);
        api.registerInputListener((message, origin) => {
          api.sendMessage({ echo: message, from: origin });
          if ((message as number) % 2 === 0) api.sendMessage({ even: message }, 'side');
        });
        api.startMessageListening();
        await untilStopped(signal);
      },
    });
    await audit.reached;
    const counted = await firstValueFrom(
      job.edgeStatistics$.pipe(filter((edges) => edge(edges, 'src', 'mid')?.responses === 10 && edge(edges, 'mid', 'sink')?.sent === 10 && edge(edges, 'mid', 'audit')?.sent === 5)),
    );
    expect(edge(counted, 'src', 'mid')).toMatchObject({ sent: 10, queueSize: 0, replicas: 1 });
    release();
    const result = await job.result;
    expectCompleted(result);
    expect(result.data).toEqual([{ nodeName: 'sink', algorithmName: 'sink', result: Array.from({ length: 10 }, (_, i) => ({ message: { echo: i + 1, from: 'src' }, origin: 'mid' })) }]);
    expect(audit.counts).toEqual({ mid: 5 });
    // The debugger ran one task, as a batch task (the relay's rewrite), and was let go when the job ended.
    expect(kinds).toEqual(['batch']);
    await expect(attached).resolves.toMatchObject({ reason: 'exit' });
    expect(waits).toEqual([{ nodeName: 'mid', algorithmName: 'mid', url: await emulator.debugUrl('mid') }]);
    expect(job.types).toContain('debug');
  });

  it('a node named in debugOverride that returns completes the job with its result', async () => {
    emulator = await createEmulator({ streaming: FAST_STREAMING });
    emulator.registerAlgorithm('src', counting(3));
    const job = emulator.runPipeline({ ...streamPipeline('returns', { src: 'stateful', mid: 'stateful' }, { main: 'src >> mid' }), options: { debugOverride: ['mid'] } });
    expect(job.pipeline.nodes.find((node) => node.nodeName === 'mid')?.kind).toBe('debug');
    const attached = attach('mid', collecting(3));
    const result = await job.result;
    expectCompleted(result);
    expect(result.data).toEqual([{ nodeName: 'mid', algorithmName: 'mid', result: [1, 2, 3].map((message) => ({ message, origin: 'src' })) }]);
    await expect(attached).resolves.toMatchObject({ reason: 'exit' });
  });
});

describe('a stateless debug node in a stream pipeline', () => {
  it('runs one task per input in a debugger process on 127.0.0.1, whose values go on, on one replica only', async () => {
    emulator = await createEmulator({ streaming: FAST_STREAMING });
    emulator.registerAlgorithm('src', counting(6));
    emulator.registerAlgorithm('sink', collecting(6));
    const pipeline = streamPipeline('stateless-debug', { src: 'stateful', dbl: { stateType: 'stateless', minStatelessCount: 3 }, sink: 'stateful' }, { main: 'src >> dbl >> sink' });
    const job = emulator.runPipeline({ ...pipeline, options: { debugOverride: ['dbl'] } });
    expect(job.warnings).toEqual(['node "dbl" is a debug node, which runs one replica at most: "minStatelessCount": 3 is capped at 1']);
    const snapshots = lastValueFrom(job.edgeStatistics$.pipe(toArray()));
    const child = spawn(process.execPath, [join(FIXTURES, 'streaming', 'debug-doubler.mjs'), await emulator.debugUrl('dbl')], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const result = await job.result;
    expectCompleted(result);
    expect(result.data).toEqual([{ nodeName: 'sink', algorithmName: 'sink', result: [2, 4, 6, 8, 10, 12].map((doubled) => ({ message: { doubled }, origin: 'dbl' })) }]);
    // HKube scales a debug node to one replica at most, whatever minStatelessCount says.
    expect(Math.max(...(await snapshots).map((edges) => edge(edges, 'src', 'dbl')?.replicas ?? 0))).toBe(1);
    expect(await exited).toBe(0);
    expect(stdout).toBe('session ended: exit\n');
  });
});

describe('a stream debug node between process nodes (ZeroMQ)', () => {
  const relayed = (message: unknown): unknown => ({ relayed: message });
  const debuggers: Readonly<Record<'stateful' | 'stateless', Algorithm>> = {
    stateful: {
      start: async ({ signal }, api) => {
        api.registerInputListener((message) => api.sendMessage(relayed(message)));
        api.startMessageListening();
        await untilStopped(signal);
      },
    },
    stateless: { start: ({ streamInput }) => relayed(streamInput?.message) },
  };

  it.each(['stateful', 'stateless'] as const)('relays the messages of a process source to a process sink through a %s debugger', async (stateType) => {
    emulator = await createEmulator({ streaming: FAST_STREAMING });
    // Both neighbours run under the hkube-wrapper bin, so the job's network is ZeroMQ, the relay's too.
    emulator.registerAlgorithm('green', wrapperCommand(join('streaming', 'twitt.mjs')));
    emulator.registerAlgorithm('black', wrapperCommand(join('streaming', 'collector.mjs')));
    const pipeline = streamPipeline(
      'across',
      { green: { stateType: 'stateful', input: [5] }, mid: { stateType, kind: 'debug' }, black: { stateType: 'stateful', input: [5] } },
      { main: 'green >> mid >> black' },
    );
    const job = emulator.runPipeline(pipeline);
    const attached = attach('mid', debuggers[stateType]);
    const result = await job.result;
    expectCompleted(result);
    const tweets = Array.from({ length: 5 }, (_, i) => ({ message: relayed({ id: i + 1, text: `tweet ${i + 1}` }), origin: 'mid' }));
    expect(result.data).toEqual([{ nodeName: 'black', algorithmName: 'black', result: tweets }]);
    await expect(attached).resolves.toMatchObject({ reason: 'exit' });
  });
});

describe('stopping a stream job with a debug node', () => {
  it('stop() and the job ttl stop the debugger\u2019s task too, and end its session', async () => {
    emulator = await createEmulator({ streaming: FAST_STREAMING });
    const sink = new OriginCounter(3);
    emulator.registerAlgorithm('sink', countingStateless(sink));
    const stops: string[] = [];
    const ticker: Algorithm = {
      start: async ({ signal }, api) => {
        const timer = setInterval(() => api.sendMessage(Date.now()), 5);
        await untilStopped(signal);
        clearInterval(timer);
        stops.push(`signal: ${String((signal.reason as Error).name)}`);
      },
      stop: ({ forceStop }) => void stops.push(`stop: forceStop ${forceStop}`),
    };
    const pipeline = streamPipeline('ticking', { ticker: { stateType: 'stateful', kind: 'debug' }, sink: 'stateless' }, { main: 'ticker >> sink' });
    const job = emulator.runPipeline(pipeline);
    const attached = attach('ticker', ticker);
    await sink.reached;
    expect(await job.stop('enough')).toMatchObject({ status: 'stopped', reason: 'enough' });
    await expect(attached).resolves.toMatchObject({ reason: 'exit' });
    expect(stops).toEqual(['stop: forceStop true', 'signal: TaskStoppedError']);
    const expiring = emulator.runPipeline({ ...pipeline, options: { ttl: 1 } });
    const again = attach('ticker', ticker);
    expect(await expiring.result).toMatchObject({ status: 'stopped', reason: 'pipeline expired' });
    await expect(again).resolves.toMatchObject({ reason: 'exit' });
  });
});

describe('a stream debug node whose debugger leaves', () => {
  it('fails the task, which restarts and waits for the next debugger, as any failed stateful task', async () => {
    emulator = await createEmulator({ streaming: FAST_STREAMING });
    emulator.registerAlgorithm('src', {
      start: async ({ signal }, api) => {
        const timer = setInterval(() => api.sendMessage('tick'), 5);
        await untilStopped(signal);
        clearInterval(timer);
      },
    });
    const failures: unknown[] = [];
    const job = emulator.runPipeline(streamPipeline('leaving', { src: 'stateful', mid: { stateType: 'stateful', kind: 'debug' } }, { main: 'src >> mid' }), {
      onTaskEvent: (event) => void (event.status === 'failed' && failures.push([event.nodeName, event.error])),
    });
    const first = new AbortController();
    const left = debug(
      await emulator.debugUrl('mid'),
      {
        start: async ({ signal }, api) => {
          api.registerInputListener(() => first.abort());
          api.startMessageListening();
          await untilStopped(signal);
        },
      },
      { exitProcess: false, logger: silentLogger, signal: first.signal },
    );
    await left.catch(() => undefined);
    const second = attach('mid', collecting(3));
    const result = await job.result;
    expectCompleted(result);
    expect(result.data).toEqual([{ nodeName: 'mid', algorithmName: 'mid', result: Array.from({ length: 3 }, () => ({ message: 'tick', origin: 'src' })) }]);
    expect(failures).toEqual([['mid', expect.stringMatching(/^algorithm "mid" disconnected from its worker \(close code \d+\) during task \S+ of node "mid"$/)]]);
    await expect(second).resolves.toMatchObject({ reason: 'exit' });
  });
});

describe('a stream debug node nobody attaches to', () => {
  it('waits for its debugger and, past debugAttachTimeoutMs, fails as a batch debug node does', async () => {
    emulator = await createEmulator({ debugAttachTimeoutMs: 100, streaming: { ...FAST_STREAMING, statefulRetryLimit: 0 } });
    emulator.registerAlgorithm('sink', { start: () => null });
    const waits: DebugWaiting[] = [];
    const result = await emulator.run(streamPipeline('alone', { src: { stateType: 'stateful', kind: 'debug' }, sink: 'stateless' }, { main: 'src >> sink' }), {
      onDebugWaiting: (waiting) => waits.push(waiting),
    });
    const url = await emulator.debugUrl('src');
    expect(result).toMatchObject({ status: 'failed', nodeName: 'src' });
    expect(result.status === 'failed' && result.error).toContain(`no debugger attached to algorithm "src" at ${url} within 100 ms`);
    expect(waits).toEqual([{ nodeName: 'src', algorithmName: 'src', url }]);
  });
});
