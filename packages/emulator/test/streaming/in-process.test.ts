import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../src/index.js';
import { countingStateless, expectCompleted, FAST_STREAMING, OriginCounter, registerTweetEnrichers, streamPipeline, tweetsPipeline, untilStopped } from './helpers.js';

let emulator: Emulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('stream pipelines in-process (pipeline-semantics §7.2 F)', () => {
  it('F1: stateful >> stateless, two flows: yellow gets {green: 50}, black {green: 50, yellow: 50}', async () => {
    emulator = await createEmulator({ streaming: FAST_STREAMING });
    const yellow = new OriginCounter(50);
    const black = new OriginCounter(100);
    emulator.registerAlgorithm('green', {
      start: async (_args, api) => {
        for (let i = 0; i < 50; i += 1) api.sendMessage({ i }, 'main');
        for (let i = 0; i < 50; i += 1) api.sendMessage({ i }, 'second');
        await black.reached;
        return 'sent 100';
      },
    });
    emulator.registerAlgorithm('yellow', countingStateless(yellow));
    emulator.registerAlgorithm('black', countingStateless(black));
    const result = await emulator.run(streamPipeline('f1', { green: 'stateful', yellow: 'stateless', black: 'stateless' }, { main: 'green >> yellow >> black', second: 'green >> black' }, 'main'));
    expectCompleted(result);
    expect(result.data).toEqual([{ nodeName: 'green', algorithmName: 'green', result: 'sent 100' }]);
    expect(yellow.counts).toEqual({ green: 50 });
    expect(black.counts).toEqual({ green: 50, yellow: 50 });
  });

  it('F2: stateful >> stateful >> stateful: a handler\u2019s sendMessage continues the incoming flow', async () => {
    emulator = await createEmulator({ streaming: FAST_STREAMING });
    emulator.registerAlgorithm('green', {
      start: async ({ signal }, api) => {
        for (let i = 0; i < 30; i += 1) api.sendMessage(i);
        await untilStopped(signal);
      },
    });
    emulator.registerAlgorithm('yellow', {
      start: async ({ signal }, api) => {
        api.registerInputListener((message) => api.sendMessage({ forwarded: message }));
        api.startMessageListening();
        await untilStopped(signal);
      },
    });
    emulator.registerAlgorithm('black', {
      start: async (_args, api) => {
        const seen: unknown[] = [];
        for await (const { message, origin } of api.messages()) {
          seen.push({ message, origin });
          if (seen.length === 30) break;
        }
        return seen;
      },
    });
    const result = await emulator.run(streamPipeline('f2', { green: 'stateful', yellow: 'stateful', black: 'stateful' }, { main: 'green >> yellow >> black' }));
    expectCompleted(result);
    expect(result.data).toEqual([{ nodeName: 'black', algorithmName: 'black', result: Array.from({ length: 30 }, (_, i) => ({ message: { forwarded: i }, origin: 'yellow' })) }]);
  });

  it('F3: sort routes even tweets to A on "analyze" and the others on along "master" to B; edge statistics add up', async () => {
    emulator = await createEmulator({ streaming: FAST_STREAMING });
    let flows: unknown;
    emulator.registerAlgorithm('twitt', {
      start: async ({ input: [count], parsedFlow, signal }, api) => {
        flows = parsedFlow;
        for (let id = 1; id <= (count as number); id += 1) api.sendMessage({ id });
        await untilStopped(signal);
      },
    });
    emulator.registerAlgorithm('sort', {
      start: async ({ signal }, api) => {
        api.registerInputListener((message) => {
          if ((message as { id: number }).id % 2 === 0) api.sendMessage(message, 'analyze');
          else api.sendMessage(message);
        });
        api.startMessageListening();
        await untilStopped(signal);
      },
    });
    const enrichers = registerTweetEnrichers(emulator);
    const job = emulator.runPipeline(tweetsPipeline);
    await enrichers.routed();
    expect(flows).toEqual({ analyze: [{ source: 'sort', next: ['A'] }], master: [{ source: 'twitt', next: ['sort'] }, { source: 'sort', next: ['B'] }] });
    // Statistics catch up with every answered message.
    for await (const edges of job.edgeStatisticsUpdates) {
      const responses = Object.fromEntries(edges.map((edge) => [`${edge.source}>${edge.target}`, edge.responses]));
      if (responses['twitt>sort'] === 20 && responses['sort>A'] === 10 && responses['sort>B'] === 10) break;
    }
    const edges = job.edgeStatistics();
    expect(edges.map((edge) => [edge.source, edge.target, edge.sent, edge.queueSize])).toEqual([
      ['sort', 'A', 10, 0],
      ['twitt', 'sort', 20, 0],
      ['sort', 'B', 10, 0],
    ]);
    expect(edges.every((edge) => edge.replicas >= 1)).toBe(true);
    expect(await job.stop()).toMatchObject({ status: 'stopped', reason: 'stopped due to request' });
  });

  it('F6: the job completes when a stateful source returns, with its result', async () => {
    emulator = await createEmulator({ streaming: FAST_STREAMING });
    // The source's state type comes from its algorithm (HKube's default for nodes without one).
    emulator.registerAlgorithm('source', { start: () => ({ done: true }) }, { stateType: 'stateful' });
    emulator.registerAlgorithm('sink', { start: () => null });
    const result = await emulator.run(streamPipeline('f6', { source: {}, sink: { stateType: 'stateless', minStatelessCount: 1 } }, { main: 'source >> sink' }));
    expectCompleted(result);
    expect(result.data).toEqual([{ nodeName: 'source', algorithmName: 'source', result: { done: true } }]);
    // §7.2 G8: a stream job cannot be re-run from a node.
    await expect(emulator.runFromNode({ jobId: result.jobId, nodeName: 'sink' })).rejects.toThrow('run node is not allowed in stream pipeline');
  });

  it('F7 and F8: a sink cannot send; a message on a flow without a step for its sender is dropped silently', async () => {
    emulator = await createEmulator({ streaming: FAST_STREAMING });
    emulator.registerAlgorithm('source', {
      start: async ({ signal }, api) => {
        for (let i = 0; i < 5; i += 1) api.sendMessage({ lost: i }, 'elsewhere');
        for (let i = 0; i < 3; i += 1) api.sendMessage({ kept: i }, 'main');
        await untilStopped(signal);
      },
    });
    emulator.registerAlgorithm('sink', {
      start: async (_args, api) => {
        const seen: unknown[] = [];
        for await (const { message } of api.messages()) {
          seen.push(message);
          if (seen.length === 3) break;
        }
        try {
          api.sendMessage('from a sink');
          return { seen, sent: true };
        } catch (error) {
          return { seen, error: (error as Error).message };
        }
      },
    });
    // `other` only exists to give `sink` a second flow; it must not return, since any stateful node
    // that returns completes the job.
    emulator.registerAlgorithm('other', {
      start: ({ signal }) => new Promise((resolve) => signal.addEventListener('abort', () => resolve(null), { once: true })),
    });
    const result = await emulator.run(streamPipeline('f7', { source: 'stateful', sink: 'stateful', other: 'stateful' }, { main: 'source >> sink', elsewhere: 'other >> sink' }, 'main'));
    expectCompleted(result);
    const sink = result.data.find((entry) => entry.nodeName === 'sink');
    expect(sink?.result).toEqual({ seen: [{ kept: 0 }, { kept: 1 }, { kept: 2 }], error: 'Trying to send a message from a none stream pipeline or after close had been applied on algorithm' });
  });
});

describe('stopping a stream job that never ends by itself', () => {
  it('stop() ends it stopped and stops every worker; options.ttl ends it "pipeline expired"', async () => {
    emulator = await createEmulator({ streaming: FAST_STREAMING });
    const stopped: string[] = [];
    emulator.registerAlgorithm('ticker', {
      start: async ({ signal }, api) => {
        const timer = setInterval(() => api.sendMessage(Date.now()), 5);
        await untilStopped(signal);
        clearInterval(timer);
      },
      stop: () => void stopped.push('ticker'),
    });
    emulator.registerAlgorithm('consumer', { start: () => null });
    const pipeline = streamPipeline('forever', { ticker: 'stateful', consumer: { stateType: 'stateless', maxStatelessCount: 2 } }, { main: 'ticker >> consumer' });
    const job = emulator.runPipeline(pipeline);
    for await (const edges of job.edgeStatisticsUpdates) if ((edges[0]?.responses ?? 0) > 10) break;
    expect(await job.stop('enough')).toMatchObject({ status: 'stopped', reason: 'enough' });
    expect(stopped).toEqual(['ticker']);
    const expired = await emulator.run({ ...pipeline, options: { ttl: 1 } });
    expect(expired).toMatchObject({ status: 'stopped', reason: 'pipeline expired' });
  });
});
