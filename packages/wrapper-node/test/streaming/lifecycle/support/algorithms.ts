import type { HkubeApi, StreamInputListener, StreamMessage } from '@hkube-ts/codeapi';
import type { Algorithm } from '../../../../src/index.js';
import { untilAborted } from './wait.js';

/** Sends the numbers `0 … count - 1`, on `flow` (default: the node's default flow). */
export function sendNumbers(api: HkubeApi, count: number, flow?: string): void {
  for (let i = 0; i < count; i++) api.sendMessage(i, flow);
}

/** A stateful source: `send` queues its messages, then it keeps the task (and its queue) until stopped. */
export function streamsUntilStopped(send: (api: HkubeApi) => void): Algorithm {
  return {
    start: async ({ signal }, api) => {
      send(api);
      await untilAborted(signal);
    },
  };
}

/** A stateful node that handles every input with the listener `listen(api)` returns, until the task is stopped. */
export function listensUntilStopped(listen: (api: HkubeApi) => StreamInputListener): Algorithm {
  return {
    start: async ({ signal }, api) => {
      api.registerInputListener(listen(api));
      api.startMessageListening();
      await untilAborted(signal);
    },
  };
}

/** A stateful sink: iterates `messages()` into `received` until it holds `count`, then returns that count (`done`). */
export function readsMessages(received: StreamMessage[], count: number): Algorithm {
  return {
    start: async (_args, api) => {
      for await (const item of api.messages()) {
        received.push(item);
        if (received.length === count) break;
      }
      return received.length;
    },
  };
}
