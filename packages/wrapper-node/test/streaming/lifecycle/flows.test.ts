import { NoStreamConsumersError, NoSuchFlowError, type HkubeApi } from '@hkube-ts/codeapi';
import type { StreamingStatisticsEntry } from '@hkube-ts/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { StartArgs } from '../../../src/index.js';
import { createMemoryStreamNetwork } from '../../../src/streaming/memory/network.js';
import { parseFlows, shutdown, startNode, until, type StreamNode } from './harness.js';

// Several runners in this process, each with its own scripted worker, wired by one in-memory stream
// network: the acceptance cases F1-F8 of pipeline-semantics §7.2.
let nodes: StreamNode[] = [];
afterEach(async () => {
  await shutdown(nodes);
  nodes = [];
});

const untilAborted = (signal: AbortSignal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

function countBy(counts: Record<string, number>, origin: string): void {
  counts[origin] = (counts[origin] ?? 0) + 1;
}

describe('stream flows between runners', () => {
  it('F1: stateful green feeds stateless yellow and black, counted by origin; green returning ends with storing + done', async () => {
    const network = createMemoryStreamNetwork();
    const flows = parseFlows({ main: 'green >> yellow >> black', second: 'green >> black' });
    const yellowSeen: Record<string, number> = {};
    const blackSeen: Record<string, number> = {};
    const green = startNode(network, {
      name: 'green',
      childs: ['yellow', 'black'],
      flows,
      defaultFlow: 'main',
      algorithm: {
        start: (_args, api) => {
          for (let i = 0; i < 50; i++) api.sendMessage({ i }, 'main');
          for (let i = 0; i < 50; i++) api.sendMessage({ i }, 'second');
          return 'green finished';
        },
      },
    });
    const yellow = startNode(network, {
      name: 'yellow',
      stateType: 'stateless',
      childs: ['black'],
      parents: ['green'],
      flows,
      defaultFlow: 'main',
      algorithm: {
        start: ({ streamInput }) => {
          countBy(yellowSeen, streamInput!.origin);
          return 42;
        },
      },
    });
    const black = startNode(network, {
      name: 'black',
      stateType: 'stateless',
      parents: ['green', 'yellow'],
      flows,
      defaultFlow: 'main',
      algorithm: {
        start: ({ streamInput }) => {
          countBy(blackSeen, streamInput!.origin);
          return undefined;
        },
      },
    });
    nodes = [green, yellow, black];
    await Promise.all([yellow.begin(), black.begin()]);
    yellow.addParents(green);
    black.addParents(green, yellow);
    await green.begin();

    await until(() => (blackSeen.green ?? 0) + (blackSeen.yellow ?? 0) === 100, 'black to get 100 messages');
    expect(yellowSeen).toEqual({ green: 50 });
    expect(blackSeen).toEqual({ green: 50, yellow: 50 });
    await green.worker.next('done');
    const commands = green.worker.commands.filter((c) => c !== 'streamingStatistics');
    expect(commands).toEqual(['initialized', 'started', 'storing', 'done']);
    // The stateless nodes keep serving: no result, no error.
    expect(yellow.worker.commands.filter((c) => c !== 'streamingStatistics')).toEqual(['initialized', 'started']);
    expect(black.worker.commands).toEqual(['initialized', 'started']);
  });

  it('streamingStatistics name exactly the childs, and the counters add up', async () => {
    const network = createMemoryStreamNetwork();
    const flows = parseFlows({ main: 'green >> yellow >> black', second: 'green >> black' });
    let blackCount = 0;
    const green = startNode(network, {
      name: 'green',
      childs: ['yellow', 'black'],
      flows,
      defaultFlow: 'main',
      algorithm: {
        start: async ({ signal }, api) => {
          for (let i = 0; i < 20; i++) api.sendMessage(i);
          for (let i = 0; i < 10; i++) api.sendMessage(i, 'second');
          await untilAborted(signal);
        },
      },
    });
    const black = startNode(network, {
      name: 'black',
      stateType: 'stateless',
      parents: ['green'],
      flows,
      defaultFlow: 'main',
      algorithm: { start: () => void blackCount++ },
    });
    nodes = [green, black];
    await black.begin();
    black.addParents(green);
    await green.begin();
    await until(() => blackCount === 10, 'black to get its 10 messages');
    // A report taken after black acked everything: yellow never listened, so its 20 wait.
    const from = green.worker.received.length;
    let entries: readonly StreamingStatisticsEntry[] = [];
    await until(() => {
      const reports = green.worker.received.slice(from).filter((m) => m.command === 'streamingStatistics');
      const last = reports.at(-1);
      entries = last?.command === 'streamingStatistics' ? last.data : [];
      return entries.find((e) => e.nodeName === 'black')?.responses === 10;
    }, 'a report with 10 black responses');
    expect(entries.map((e) => e.nodeName).sort()).toEqual(['black', 'yellow']);
    const byName = Object.fromEntries(entries.map((e) => [e.nodeName, e]));
    expect(byName.yellow).toMatchObject({ sent: 0, queueSize: 20, dropped: 0, responses: 0 });
    expect(byName.black).toMatchObject({ sent: 10, queueSize: 0, dropped: 0, responses: 10 });
    for (const entry of entries) {
      expect(Array.isArray(entry.netDurations) && Array.isArray(entry.durations) && Array.isArray(entry.queueDurations)).toBe(true);
    }
  });

  it('a last streamingStatistics with the final counts goes out before storing/done', async () => {
    const network = createMemoryStreamNetwork();
    const flows = parseFlows({ main: 'green >> black' });
    let blackCount = 0;
    // A report interval far longer than the test: only the closing report can carry the counts.
    const env = { STREAMING_STATISTICS_INTERVAL: '600000' };
    const green = startNode(network, {
      name: 'green',
      childs: ['black'],
      flows,
      defaultFlow: 'main',
      env,
      algorithm: {
        start: (_args, api) => {
          for (let i = 0; i < 25; i++) api.sendMessage(i);
          return 'sent';
        },
      },
    });
    const black = startNode(network, {
      name: 'black',
      stateType: 'stateless',
      parents: ['green'],
      flows,
      defaultFlow: 'main',
      env,
      algorithm: { start: () => void blackCount++ },
    });
    nodes = [green, black];
    await black.begin();
    black.addParents(green);
    await green.begin();
    await green.worker.next('done');
    expect(blackCount).toBeGreaterThan(0);
    const received = green.worker.received;
    const storingAt = received.findIndex((m) => m.command === 'storing');
    const reports = received.slice(0, storingAt).filter((m) => m.command === 'streamingStatistics');
    expect(reports).toHaveLength(1);
    const last = reports[0];
    const entries = last?.command === 'streamingStatistics' ? last.data : [];
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ nodeName: 'black', sent: 25, queueSize: 0, dropped: 0 });
  });

  it('F2: stateful yellow forwards along the incoming flow without naming it, even after an await; black iterates messages()', async () => {
    const network = createMemoryStreamNetwork();
    // The default flow has no step from yellow: only the incoming flow can carry yellow's messages on.
    const flows = parseFlows({ main: 'green >> yellow >> black', other: 'green >> black' });
    const received: Array<{ message: unknown; origin: string }> = [];
    const green = startNode(network, {
      name: 'green',
      childs: ['yellow', 'black'],
      flows,
      defaultFlow: 'other',
      algorithm: {
        start: async ({ signal }, api) => {
          for (let i = 0; i < 10; i++) api.sendMessage(i, 'main');
          await untilAborted(signal);
        },
      },
    });
    const yellow = startNode(network, {
      name: 'yellow',
      childs: ['black'],
      parents: ['green'],
      flows,
      defaultFlow: 'other',
      algorithm: {
        start: async ({ signal }: StartArgs, api: HkubeApi) => {
          api.registerInputListener(async (message) => {
            await new Promise((resolve) => setTimeout(resolve, 1));
            api.sendMessage({ forwarded: message });
          });
          api.startMessageListening();
          await untilAborted(signal);
        },
      },
    });
    const black = startNode(network, {
      name: 'black',
      parents: ['yellow', 'green'],
      flows,
      defaultFlow: 'other',
      algorithm: {
        start: async (_args, api) => {
          for await (const item of api.messages()) {
            received.push(item);
            if (received.length === 10) break;
          }
          return received.length;
        },
      },
    });
    nodes = [green, yellow, black];
    await Promise.all([yellow.begin(), black.begin()]);
    yellow.addParents(green);
    black.addParents(yellow, green);
    await green.begin();
    await black.worker.next('done');
    expect(received.map((r) => r.origin)).toEqual(Array(10).fill('yellow'));
    expect(received.map((r) => (r.message as { forwarded: number }).forwarded).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('F3: sort routes even messages to A by flow name and odd ones on along the incoming flow to B', async () => {
    const network = createMemoryStreamNetwork();
    const flows = parseFlows({ analyze: 'sort >> A', master: 'twitt >> sort >> B' });
    expect(flows).toEqual({ analyze: [{ source: 'sort', next: ['A'] }], master: [{ source: 'twitt', next: ['sort'] }, { source: 'sort', next: ['B'] }] });
    const seen: Record<string, Array<[unknown, string]>> = { A: [], B: [] };
    const sink = (name: 'A' | 'B') =>
      startNode(network, {
        name,
        stateType: 'stateless',
        parents: ['sort'],
        flows,
        defaultFlow: 'master',
        algorithm: { start: ({ streamInput }) => void seen[name]!.push([streamInput!.message, streamInput!.origin]) },
      });
    const twitt = startNode(network, {
      name: 'twitt',
      childs: ['sort'],
      flows,
      defaultFlow: 'master',
      algorithm: {
        start: async ({ signal }, api) => {
          for (let i = 0; i < 10; i++) api.sendMessage(i);
          await untilAborted(signal);
        },
      },
    });
    const sort = startNode(network, {
      name: 'sort',
      childs: ['A', 'B'],
      parents: ['twitt'],
      flows,
      defaultFlow: 'master',
      algorithm: {
        start: async ({ signal }, api) => {
          api.registerInputListener((message) => {
            if ((message as number) % 2 === 0) api.sendMessage(message, 'analyze');
            else api.sendMessage(message);
          });
          api.startMessageListening();
          await untilAborted(signal);
        },
      },
    });
    const a = sink('A');
    const b = sink('B');
    nodes = [twitt, sort, a, b];
    await Promise.all([a.begin(), b.begin(), sort.begin()]);
    a.addParents(sort);
    b.addParents(sort);
    sort.addParents(twitt);
    await twitt.begin();
    await until(() => seen.A!.length + seen.B!.length === 10, 'A and B to get 10 messages');
    expect(seen.A).toEqual([0, 2, 4, 6, 8].map((i) => [i, 'sort']));
    expect(seen.B).toEqual([1, 3, 5, 7, 9].map((i) => [i, 'sort']));
  });

  it('F7/F8: a sink cannot send; an unknown flow is a typed error; a flow without a step for the sender drops silently', async () => {
    const network = createMemoryStreamNetwork();
    const flows = parseFlows({ main: 'green >> black', elsewhere: 'black >> yellow' });
    const outcomes: Record<string, unknown> = {};
    const green = startNode(network, {
      name: 'green',
      childs: ['black'],
      flows,
      defaultFlow: 'main',
      algorithm: {
        start: (_args, api) => {
          try {
            api.sendMessage(1, 'nope');
          } catch (error) {
            outcomes.unknown = error;
          }
          api.sendMessage(2, 'elsewhere');
          outcomes.afterDrop = api.getStreamingStatistics();
          return 'ok';
        },
      },
    });
    const black = startNode(network, {
      name: 'black',
      parents: ['green'],
      flows,
      defaultFlow: 'main',
      algorithm: {
        start: (_args, api) => {
          try {
            api.sendMessage('from a sink');
          } catch (error) {
            outcomes.sink = error;
          }
          return 'sink';
        },
      },
    });
    nodes = [green, black];
    await Promise.all([green.begin(), black.begin()]);
    await Promise.all([green.worker.next('done'), black.worker.next('done')]);
    expect(outcomes.sink).toBeInstanceOf(NoStreamConsumersError);
    expect((outcomes.sink as Error).message).toBe('Trying to send a message from a none stream pipeline or after close had been applied on algorithm');
    expect(outcomes.unknown).toBeInstanceOf(NoSuchFlowError);
    expect((outcomes.unknown as Error).message).toBe('No such flow nope');
    expect(outcomes.afterDrop).toEqual({
      binarySize: 0,
      configuredMaxBinarySize: 1500 * 2 ** 20,
      statisticsPerNode: [{ nodeName: 'black', sent: 0, queueSize: 0, dropped: 0 }],
    });
  });
});
