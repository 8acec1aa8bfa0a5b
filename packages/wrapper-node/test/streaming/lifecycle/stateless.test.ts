import type { StartArgs } from '../../../src/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStreamNetwork } from '../../../src/streaming/memory/network.js';
import { parseFlows, shutdown, sleep, startNode, type StreamNode } from './harness.js';

// The stateless wrapper calls `start` once per input on the fast path (no promise for a synchronous
// start, one template of the arguments): what a user sees must not depend on it.
let nodes: StreamNode[] = [];
afterEach(async () => {
  await shutdown(nodes);
  nodes = [];
});

const untilAborted = (signal: AbortSignal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

describe('a stateless node', () => {
  it('continues the incoming flow with its return value and with sendMessage before and after an await; each call gets its own args', async () => {
    const network = createMemoryStreamNetwork();
    // The default flow has no step from yellow: a message yellow sends on it is dropped silently.
    const flows = parseFlows({ main: 'green >> yellow >> black', other: 'green >> black' });
    const count = 6;
    const received: unknown[] = [];
    const calls: Array<{ leaked: boolean; signal: AbortSignal; nodeName: string; message: unknown }> = [];
    const green = startNode(network, {
      name: 'green',
      childs: ['yellow', 'black'],
      flows,
      defaultFlow: 'other',
      algorithm: {
        start: async ({ signal }, api) => {
          for (let i = 0; i < count; i++) api.sendMessage(i, 'main');
          await untilAborted(signal);
        },
      },
    });
    const yellow = startNode(network, {
      name: 'yellow',
      stateType: 'stateless',
      childs: ['black'],
      parents: ['green'],
      flows,
      defaultFlow: 'other',
      algorithm: {
        start: (args: StartArgs & { leaked?: boolean }, api) => {
          const message = args.streamInput!.message as number;
          calls.push({ leaked: args.leaked === true, signal: args.signal, nodeName: String(args.nodeName), message });
          args.leaked = true;
          api.sendMessage({ before: message });
          if (message % 2 === 0) return { returned: message }; // a synchronous start
          return sleep(1).then(() => {
            api.sendMessage({ after: message });
            return { returned: message };
          });
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
          for await (const { message } of api.messages()) {
            received.push(message);
            if (received.length === count * 2 + count / 2) break;
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
    const values = (key: string) =>
      received
        .filter((m): m is Record<string, number> => typeof m === 'object' && m !== null && key in m)
        .map((m) => m[key])
        .sort((a, b) => a! - b!);
    expect(values('before')).toEqual([0, 1, 2, 3, 4, 5]);
    expect(values('returned')).toEqual([0, 1, 2, 3, 4, 5]);
    expect(values('after')).toEqual([1, 3, 5]);
    expect(calls.map((call) => call.message)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(calls.every((call) => !call.leaked && call.nodeName === 'yellow' && call.signal === calls[0]!.signal)).toBe(true);
    expect(calls[0]!.signal).toBeInstanceOf(AbortSignal);
  });
});
