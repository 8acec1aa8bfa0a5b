import { NotStreamingTaskError } from '@hkube-ts/codeapi';
import { afterEach, describe, expect, it } from 'vitest';
import type { Algorithm } from '../../../src/index.js';
import { initializePayload } from '../../support/initialize.js';
import { listensUntilStopped } from './support/algorithms.js';
import { runOnPipe, type PipeRun } from './support/pipe-runner.js';
import type { PipeWorker } from './support/pipe-worker.js';
import { sleep, until } from './support/wait.js';

// The debug relay (worker-protocol §1.6, §7.6) as a scripted peer: it sends kind batch, tunnels stream
// inputs as streamingInMessage and expects streamingOutMessage / streamingInMessageDone back.
let running: PipeRun | undefined;
afterEach(async () => {
  running?.abort.abort();
  await running?.serving.catch(() => undefined);
  running = undefined;
});

function attach(algorithm: Algorithm, debugRelay = true): PipeWorker {
  running = runOnPipe(algorithm, { debugRelay, storageMode: 'v1', env: { WORKER_ALGORITHM_ENCODING: 'msgpack', STORAGE_PROTOCOL: 'v1' } });
  return running.worker;
}

const relayOptions = initializePayload({ kind: 'batch', nodeName: 'sort', childs: ['A', 'B'], parsedFlow: { f: [{ source: 'sort', next: ['A'] }] }, defaultFlow: 'f' });

describe('stream tunnel through the debug relay', () => {
  it('inputs reach the listener; sendMessage becomes streamingOutMessage with the input id; each input is acked after handling', async () => {
    const inputs: Array<[unknown, string]> = [];
    const relay = attach(
      listensUntilStopped((api) => {
        api.sendMessage('fresh'); // outside a handler: id null
        return async (message, origin) => {
          inputs.push([message, origin]);
          await sleep(1);
          api.sendMessage({ echo: message }); // continues the input's flow: the relay gets its id
          api.sendMessage('routed', 'analyze'); // explicit flow: id null, the relay routes by name
        };
      }),
    );
    relay.send({ command: 'initialize', data: relayOptions });
    await relay.next('initialized');
    // The relay forwards an input as soon as it has one, possibly before the algorithm listens.
    relay.send({ command: 'streamingInMessage', data: { payload: 7, origin: 'twitt', sendMessageId: 'm-1' } });
    relay.send({ command: 'start', data: relayOptions });
    await relay.next('streamingInMessageDone');
    relay.send({ command: 'streamingInMessage', data: { payload: 8, origin: 'twitt', sendMessageId: 'm-2' } });
    await until(() => relay.commands.filter((c) => c === 'streamingInMessageDone').length === 2, 'the second ack');
    expect(inputs).toEqual([[7, 'twitt'], [8, 'twitt']]);
    const streamFrames = relay.received.filter((m) => m.command.startsWith('streaming')).map((m) => ('data' in m ? { command: m.command, data: m.data } : m));
    expect(streamFrames).toEqual([
      { command: 'streamingOutMessage', data: { message: 'fresh', sendMessageId: null } },
      { command: 'streamingOutMessage', data: { message: { echo: 7 }, sendMessageId: 'm-1' } },
      { command: 'streamingOutMessage', data: { message: 'routed', flowName: 'analyze', sendMessageId: null } },
      { command: 'streamingInMessageDone', data: { sendMessageId: 'm-1' } },
      { command: 'streamingOutMessage', data: { message: { echo: 8 }, sendMessageId: 'm-2' } },
      { command: 'streamingOutMessage', data: { message: 'routed', flowName: 'analyze', sendMessageId: null } },
      { command: 'streamingInMessageDone', data: { sendMessageId: 'm-2' } },
    ]);
  });

  it('a stateless debug node gets streamInput from the relay options and answers done with its value', async () => {
    const relay = attach({ start: ({ streamInput }) => ({ doubled: (streamInput!.message as number) * 2 }) });
    const options = { ...relayOptions, streamInput: { message: 21, origin: 'twitt' } };
    relay.send({ command: 'initialize', data: options });
    await relay.next('initialized');
    relay.send({ command: 'start', data: options });
    const done = await relay.next('done');
    expect(done.data).toEqual({ doubled: 42 });
  });

  it('without the relay, a batch task gets NotStreamingTaskError from every streaming method', async () => {
    const errors: unknown[] = [];
    const worker = attach(
      {
        start: async (_args, api) => {
          for (const call of [() => api.sendMessage(1), () => api.registerInputListener(() => undefined), () => api.startMessageListening(), () => api.getStreamingStatistics()]) {
            try {
              call();
            } catch (error) {
              errors.push(error);
            }
          }
          await api.messages()[Symbol.asyncIterator]().next().catch((error: unknown) => errors.push(error));
          return errors.length;
        },
      },
      false,
    );
    worker.send({ command: 'initialize', data: relayOptions });
    await worker.next('initialized');
    worker.send({ command: 'start', data: { spanId: null } });
    expect((await worker.next('done')).data).toBe(5);
    for (const error of errors) expect(error).toBeInstanceOf(NotStreamingTaskError);
    // A relay-only command reaching a plain runner is ignored, not answered.
    worker.send({ command: 'streamingInMessage', data: { payload: 1, origin: 'x', sendMessageId: 1 } });
    await sleep(50);
    expect(worker.commands).toEqual(['initialized', 'started', 'done']);
  });
});
