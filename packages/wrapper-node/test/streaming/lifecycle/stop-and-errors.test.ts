import { describe, expect, it } from 'vitest';
import type { Algorithm } from '../../../src/index.js';
import { sendNumbers, streamsUntilStopped } from './support/algorithms.js';
import { parseFlows } from './support/flows.js';
import { usePipelines, type Pipeline } from './support/pipeline.js';
import type { StreamNode } from './support/stream-node.js';
import { sleep, until } from './support/wait.js';

const pipeline = usePipelines();
const flows = parseFlows({ main: 'green >> yellow' });

/** A stateful producer that queues `count` messages and then waits to be stopped, recording the stops. */
function producer(count: number, stops: unknown[] = []): Algorithm {
  return { ...streamsUntilStopped((api) => sendNumbers(api, count)), stop: (options) => void stops.push(options) };
}

/** Starts `green` (childs `yellow`) running `algorithm` in `pipe` (default: a new pipeline) and waits until it has started. */
async function startedProducer(algorithm: Algorithm, pipe: Pipeline = pipeline({ flows })): Promise<StreamNode> {
  const green = pipe.node({ name: 'green', childs: ['yellow'], algorithm });
  await green.begin();
  await green.worker.next('started');
  return green;
}

describe('stopping a stream task', () => {
  it('a graceful stop sends stopping every second while the queue drains, then stopped, and never done', async () => {
    const pipe = pipeline({ flows });
    const stops: unknown[] = [];
    const green = await startedProducer(producer(5, stops), pipe);
    const { node: yellow, got } = pipe.collectingChild();
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
    const green = await startedProducer(producer(5));
    green.worker.send({ command: 'stop', data: { forceStop: true } });
    await green.worker.next('stopped');
    await sleep(50);
    const lifecycle = green.worker.commands.filter((c) => c !== 'streamingStatistics');
    expect(lifecycle).toEqual(['initialized', 'started', 'stopped']);
  });

  it('a stop ends a stateless node that is serving messages', async () => {
    const yellow = pipeline({ flows }).node({ name: 'yellow', stateType: 'stateless', parents: ['green'], algorithm: { start: () => 1 } });
    await yellow.begin();
    await yellow.worker.next('started');
    yellow.worker.send({ command: 'stop', data: { forceStop: false } });
    await yellow.worker.next('stopped');
    expect(yellow.worker.commands).toEqual(['initialized', 'started', 'stopped']);
  });

  it('exit after a stream task closes the transport and resolves run()', async () => {
    const green = await startedProducer(producer(1));
    green.worker.send({ command: 'exit', data: { exitCode: 0 } });
    await expect(green.serving).resolves.toEqual({ reason: 'exit', exitCode: 0 });
  });
});

describe('stream task failures', () => {
  it('an exception in a stateless start ends the task with errorMessage', async () => {
    const pipe = pipeline({ flows });
    const green = pipe.node({ name: 'green', childs: ['yellow'], algorithm: producer(3) });
    const yellow = pipe.node({
      name: 'yellow',
      stateType: 'stateless',
      parents: ['green'],
      algorithm: {
        start: ({ streamInput }) => {
          if (streamInput!.message === 1) throw new Error('cannot handle 1');
          return 'fine';
        },
      },
    });
    await pipe.launch(green);
    const error = await yellow.worker.next('errorMessage');
    expect(error.error.message).toBe('cannot handle 1');
    await sleep(50);
    expect(yellow.worker.commands).toEqual(['initialized', 'started', 'errorMessage']);
  });

  it('a stream task in storage mode v1 is answered with errorMessage instead of initialized', async () => {
    const green = pipeline({ flows }).node({ name: 'green', childs: ['yellow'], storageProtocol: 'v1', algorithm: producer(1) });
    await green.begin();
    const error = await green.worker.next('errorMessage');
    expect(error.error.message).toMatch(/stream task, which needs storage protocol v3/);
    expect(green.worker.commands).toEqual(['errorMessage']);
  });

  it('a producer port already taken fails the task with errorMessage', async () => {
    const pipe = pipeline({ flows });
    const first = await startedProducer(producer(0), pipe);
    const second = pipe.node({ name: 'green', childs: ['yellow'], env: { STREAMING_DISCOVERY_PORT: String(first.port) }, algorithm: producer(0) });
    await second.begin();
    const error = await second.worker.next('errorMessage');
    expect(error.error.message).toMatch(new RegExp(`port ${first.port}`));
  });

  it('a discovery Del stops the listener to that parent', async () => {
    const pipe = pipeline({ flows });
    let sent = 0;
    let send: (() => void) | undefined;
    const green = pipe.node({ name: 'green', childs: ['yellow'], algorithm: streamsUntilStopped((api) => (send = () => api.sendMessage(sent++))) });
    const { node: yellow, got } = pipe.collectingChild();
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
    const pipe = pipeline({ flows });
    let task = 0;
    const green = pipe.node({ name: 'green', childs: ['yellow'], algorithm: { start: (_args, api) => void api.sendMessage(`task ${++task}`) } });
    const { got } = pipe.collectingChild();
    await pipe.launch(green);
    await green.worker.next('done');
    const from = green.worker.received.length;
    await green.begin('task-green-2');
    await green.worker.next('done', from);
    await until(() => got.length === 2, 'both messages');
    expect(got).toEqual(['task 1', 'task 2']);
  });
});
