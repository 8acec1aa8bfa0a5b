import { NoStreamConsumersError, NoSuchFlowError, type StreamMessage } from '@hkube-ts/codeapi';
import type { StreamingStatisticsEntry } from '@hkube-ts/protocol';
import { describe, expect, it } from 'vitest';
import { listensUntilStopped, readsMessages, sendNumbers, streamsUntilStopped } from './support/algorithms.js';
import { parseFlows } from './support/flows.js';
import { usePipelines } from './support/pipeline.js';
import { sleep, until } from './support/wait.js';

// Several runners in this process, each with its own scripted worker, wired by one in-memory stream
// network: the acceptance cases F1-F8 of pipeline-semantics §7.2.
const pipeline = usePipelines();

function countBy(counts: Record<string, number>, origin: string): void {
  counts[origin] = (counts[origin] ?? 0) + 1;
}

/** What `call` throws (`undefined` when it returns). */
function thrownBy(call: () => void): unknown {
  try {
    call();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('stream flows between runners', () => {
  it('F1: stateful green feeds stateless yellow and black, counted by origin; green returning ends with storing + done', async () => {
    const pipe = pipeline({ flows: parseFlows({ main: 'green >> yellow >> black', second: 'green >> black' }) });
    const yellowSeen: Record<string, number> = {};
    const blackSeen: Record<string, number> = {};
    const green = pipe.node({
      name: 'green',
      childs: ['yellow', 'black'],
      algorithm: {
        start: (_args, api) => {
          for (let i = 0; i < 50; i++) api.sendMessage({ i }, 'main');
          for (let i = 0; i < 50; i++) api.sendMessage({ i }, 'second');
          return 'green finished';
        },
      },
    });
    const yellow = pipe.node({
      name: 'yellow',
      stateType: 'stateless',
      childs: ['black'],
      parents: ['green'],
      algorithm: {
        start: ({ streamInput }) => {
          countBy(yellowSeen, streamInput!.origin);
          return 42;
        },
      },
    });
    const black = pipe.node({
      name: 'black',
      stateType: 'stateless',
      parents: ['green', 'yellow'],
      algorithm: { start: ({ streamInput }) => void countBy(blackSeen, streamInput!.origin) },
    });
    await pipe.launch(green);

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
    const pipe = pipeline({ flows: parseFlows({ main: 'green >> yellow >> black', second: 'green >> black' }) });
    let blackCount = 0;
    const green = pipe.node({
      name: 'green',
      childs: ['yellow', 'black'],
      algorithm: streamsUntilStopped((api) => {
        sendNumbers(api, 20);
        sendNumbers(api, 10, 'second');
      }),
    });
    pipe.node({ name: 'black', stateType: 'stateless', parents: ['green'], algorithm: { start: () => void blackCount++ } });
    await pipe.launch(green);
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
    const pipe = pipeline({ flows: parseFlows({ main: 'green >> black' }) });
    let blackCount = 0;
    // A report interval far longer than the test: only the closing report can carry the counts.
    const env = { STREAMING_STATISTICS_INTERVAL: '600000' };
    const green = pipe.node({
      name: 'green',
      childs: ['black'],
      env,
      algorithm: {
        start: (_args, api) => {
          sendNumbers(api, 25);
          return 'sent';
        },
      },
    });
    pipe.node({ name: 'black', stateType: 'stateless', parents: ['green'], env, algorithm: { start: () => void blackCount++ } });
    await pipe.launch(green);
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
    // The default flow has no step from yellow: only the incoming flow can carry yellow's messages on.
    const pipe = pipeline({ flows: parseFlows({ main: 'green >> yellow >> black', other: 'green >> black' }), defaultFlow: 'other' });
    const received: StreamMessage[] = [];
    const green = pipe.node({ name: 'green', childs: ['yellow', 'black'], algorithm: streamsUntilStopped((api) => sendNumbers(api, 10, 'main')) });
    pipe.node({
      name: 'yellow',
      childs: ['black'],
      parents: ['green'],
      algorithm: listensUntilStopped((api) => async (message) => {
        await sleep(1);
        api.sendMessage({ forwarded: message });
      }),
    });
    const black = pipe.node({ name: 'black', parents: ['yellow', 'green'], algorithm: readsMessages(received, 10) });
    await pipe.launch(green);
    await black.worker.next('done');
    expect(received.map((r) => r.origin)).toEqual(Array(10).fill('yellow'));
    expect(received.map((r) => (r.message as { forwarded: number }).forwarded).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('F3: sort routes even messages to A by flow name and odd ones on along the incoming flow to B', async () => {
    const flows = parseFlows({ analyze: 'sort >> A', master: 'twitt >> sort >> B' });
    expect(flows).toEqual({ analyze: [{ source: 'sort', next: ['A'] }], master: [{ source: 'twitt', next: ['sort'] }, { source: 'sort', next: ['B'] }] });
    const pipe = pipeline({ flows, defaultFlow: 'master' });
    const seen: Record<string, Array<[unknown, string]>> = { A: [], B: [] };
    for (const name of ['A', 'B']) {
      pipe.node({ name, stateType: 'stateless', parents: ['sort'], algorithm: { start: ({ streamInput }) => void seen[name]!.push([streamInput!.message, streamInput!.origin]) } });
    }
    const twitt = pipe.node({ name: 'twitt', childs: ['sort'], algorithm: streamsUntilStopped((api) => sendNumbers(api, 10)) });
    pipe.node({
      name: 'sort',
      childs: ['A', 'B'],
      parents: ['twitt'],
      algorithm: listensUntilStopped((api) => (message) => {
        if ((message as number) % 2 === 0) api.sendMessage(message, 'analyze');
        else api.sendMessage(message);
      }),
    });
    await pipe.launch(twitt);
    await until(() => seen.A!.length + seen.B!.length === 10, 'A and B to get 10 messages');
    expect(seen.A).toEqual([0, 2, 4, 6, 8].map((i) => [i, 'sort']));
    expect(seen.B).toEqual([1, 3, 5, 7, 9].map((i) => [i, 'sort']));
  });

  it('F7/F8: a sink cannot send; an unknown flow is a typed error; a flow without a step for the sender drops silently', async () => {
    const pipe = pipeline({ flows: parseFlows({ main: 'green >> black', elsewhere: 'black >> yellow' }) });
    const outcomes: Record<string, unknown> = {};
    const green = pipe.node({
      name: 'green',
      childs: ['black'],
      algorithm: {
        start: (_args, api) => {
          outcomes.unknown = thrownBy(() => api.sendMessage(1, 'nope'));
          api.sendMessage(2, 'elsewhere');
          outcomes.afterDrop = api.getStreamingStatistics();
          return 'ok';
        },
      },
    });
    const black = pipe.node({
      name: 'black',
      parents: ['green'],
      algorithm: {
        start: (_args, api) => {
          outcomes.sink = thrownBy(() => api.sendMessage('from a sink'));
          return 'sink';
        },
      },
    });
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
