import { afterEach, describe, expect, it } from 'vitest';
import type { Algorithm } from '../../../src/index.js';
import { createMemoryStreamNetwork } from '../../../src/streaming/memory/network.js';
import { initializePayload } from '../../support/initialize.js';
import { parseFlows, shutdown, sleep, collectingChild, startNode, until, type StreamNode } from './harness.js';

let nodes: StreamNode[] = [];
afterEach(async () => {
  await shutdown(nodes);
  nodes = [];
});

const flows = parseFlows({ main: 'green >> yellow' });
const untilAborted = (signal: AbortSignal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

/** A stateful producer that queues `count` messages and then waits to be stopped. */
function producer(count: number, stops: unknown[] = []): Algorithm {
  return {
    start: async ({ signal }, api) => {
      for (let i = 0; i < count; i++) api.sendMessage(i);
      await untilAborted(signal);
    },
    stop: (options) => void stops.push(options),
  };
}

describe('stopping a stream task', () => {
  it('a graceful stop sends stopping every second while the queue drains, then stopped, and never done', async () => {
    const network = createMemoryStreamNetwork();
    const stops: unknown[] = [];
    const green = startNode(network, { name: 'green', childs: ['yellow'], flows, defaultFlow: 'main', algorithm: producer(5, stops) });
    const { node: yellow, got } = collectingChild(network, flows);
    nodes = [green, yellow];
    await green.begin();
    await green.worker.next('started');
    green.worker.send({ command: 'stop', data: { forceStop: false } });
    // Nobody takes the 5 messages yet: the wrapper keeps the worker's stop timer alive.
    await green.worker.next('stopping');
    expect(green.worker.commands).not.toContain('stopped');
    await yellow.begin();
    yellow.addParents(green);
    await green.worker.next('stopped');
    expect(got).toEqual([0, 1, 2, 3, 4]);
    expect(stops).toEqual([{ forceStop: false }]);
    await sleep(100);
    const lifecycle = green.worker.commands.filter((c) => c !== 'streamingStatistics');
    expect(lifecycle.slice(0, 2)).toEqual(['initialized', 'started']);
    expect(lifecycle.at(-1)).toBe('stopped');
    expect(lifecycle).not.toContain('done');
    expect(new Set(lifecycle.slice(2, -1))).toEqual(new Set(['stopping']));
    // Statistics end with the task.
    const count = green.worker.received.length;
    await sleep(150);
    expect(green.worker.received.length).toBe(count);
  });

  it('a forced stop drops the queue and answers stopped without stopping', async () => {
    const network = createMemoryStreamNetwork();
    const green = startNode(network, { name: 'green', childs: ['yellow'], flows, defaultFlow: 'main', algorithm: producer(5) });
    nodes = [green];
    await green.begin();
    await green.worker.next('started');
    green.worker.send({ command: 'stop', data: { forceStop: true } });
    await green.worker.next('stopped');
    await sleep(50);
    const lifecycle = green.worker.commands.filter((c) => c !== 'streamingStatistics');
    expect(lifecycle).toEqual(['initialized', 'started', 'stopped']);
  });

  it('a stop ends a stateless node that is serving messages', async () => {
    const network = createMemoryStreamNetwork();
    const yellow = startNode(network, { name: 'yellow', stateType: 'stateless', parents: ['green'], flows, defaultFlow: 'main', algorithm: { start: () => 1 } });
    nodes = [yellow];
    await yellow.begin();
    await yellow.worker.next('started');
    yellow.worker.send({ command: 'stop', data: { forceStop: false } });
    await yellow.worker.next('stopped');
    expect(yellow.worker.commands).toEqual(['initialized', 'started', 'stopped']);
  });

  it('exit after a stream task closes the transport and resolves run()', async () => {
    const network = createMemoryStreamNetwork();
    const green = startNode(network, { name: 'green', childs: ['yellow'], flows, defaultFlow: 'main', algorithm: producer(1) });
    nodes = [green];
    await green.begin();
    await green.worker.next('started');
    green.worker.send({ command: 'exit', data: { exitCode: 0 } });
    await expect(green.serving).resolves.toEqual({ reason: 'exit', exitCode: 0 });
  });
});

describe('stream task failures', () => {
  it('an exception in a stateless start ends the task with errorMessage', async () => {
    const network = createMemoryStreamNetwork();
    const green = startNode(network, { name: 'green', childs: ['yellow'], flows, defaultFlow: 'main', algorithm: producer(3) });
    const yellow = startNode(network, {
      name: 'yellow',
      stateType: 'stateless',
      parents: ['green'],
      flows,
      defaultFlow: 'main',
      algorithm: {
        start: ({ streamInput }) => {
          if (streamInput!.message === 1) throw new Error('cannot handle 1');
          return 'fine';
        },
      },
    });
    nodes = [green, yellow];
    await yellow.begin();
    yellow.addParents(green);
    await green.begin();
    const error = await yellow.worker.next('errorMessage');
    expect(error.error.message).toBe('cannot handle 1');
    await sleep(50);
    expect(yellow.worker.commands).toEqual(['initialized', 'started', 'errorMessage']);
  });

  it('a stream task in storage mode v1 is answered with errorMessage instead of initialized', async () => {
    const green = startNode(createMemoryStreamNetwork(), {
      name: 'green',
      childs: ['yellow'],
      flows,
      defaultFlow: 'main',
      storageProtocol: 'v1',
      algorithm: producer(1),
    });
    nodes = [green];
    await green.begin();
    const error = await green.worker.next('errorMessage');
    expect(error.error.message).toMatch(/stream task, which needs storage protocol v3/);
    expect(green.worker.commands).toEqual(['errorMessage']);
  });

  it('a producer port already taken fails the task with errorMessage', async () => {
    const network = createMemoryStreamNetwork();
    const first = startNode(network, { name: 'green', childs: ['yellow'], flows, defaultFlow: 'main', algorithm: producer(0) });
    const second = startNode(network, {
      name: 'green',
      childs: ['yellow'],
      flows,
      defaultFlow: 'main',
      env: { STREAMING_DISCOVERY_PORT: String(first.port) },
      algorithm: producer(0),
    });
    nodes = [first, second];
    await first.begin();
    await first.worker.next('started');
    await second.begin();
    const error = await second.worker.next('errorMessage');
    expect(error.error.message).toMatch(new RegExp(`port ${first.port}`));
  });

  it('a discovery Del stops the listener to that parent', async () => {
    const network = createMemoryStreamNetwork();
    let sent = 0;
    let send: (() => void) | undefined;
    const green = startNode(network, {
      name: 'green',
      childs: ['yellow'],
      flows,
      defaultFlow: 'main',
      algorithm: {
        start: async ({ signal }, api) => {
          send = () => api.sendMessage(sent++);
          await untilAborted(signal);
        },
      },
    });
    const { node: yellow, got } = collectingChild(network, flows);
    nodes = [green, yellow];
    // Discovery before initialize is kept for the task.
    yellow.addParents(green);
    await Promise.all([green.begin(), yellow.begin()]);
    await until(() => send !== undefined, 'green to start');
    send!();
    await until(() => got.length === 1, 'the first message');
    yellow.removeParents(green);
    await sleep(50);
    send!();
    await sleep(100);
    expect(got).toEqual([0]);
  });

  it('a second stream task on the same runner binds the port again and streams', async () => {
    const network = createMemoryStreamNetwork();
    let task = 0;
    const green = startNode(network, {
      name: 'green',
      childs: ['yellow'],
      flows,
      defaultFlow: 'main',
      algorithm: { start: (_args, api) => void api.sendMessage(`task ${++task}`) },
    });
    const { node: yellow, got } = collectingChild(network, flows);
    nodes = [green, yellow];
    await yellow.begin();
    yellow.addParents(green);
    await green.begin();
    await green.worker.next('done');
    const from = green.worker.received.length;
    green.worker.send({
      command: 'initialize',
      data: initializePayload({ taskId: 'task-green-2', nodeName: 'green', kind: 'stream', childs: ['yellow'], parsedFlow: flows, defaultFlow: 'main', flatInput: {} }),
    });
    await green.worker.next('initialized', from);
    green.worker.send({ command: 'start', data: { spanId: null } });
    await green.worker.next('done', from);
    await until(() => got.length === 2, 'both messages');
    expect(got).toEqual(['task 1', 'task 2']);
  });
});
