import type { StreamMessage } from '@hkube-ts/codeapi';
import { describe, expect, it } from 'vitest';
import type { StartArgs } from '../../../src/index.js';
import { readsMessages, sendNumbers, streamsUntilStopped } from './support/algorithms.js';
import { parseFlows } from './support/flows.js';
import { usePipelines } from './support/pipeline.js';
import { sleep } from './support/wait.js';

// The stateless wrapper calls `start` once per input on the fast path (no promise for a synchronous
// start, one template of the arguments): what a user sees must not depend on it.
const pipeline = usePipelines();

describe('a stateless node', () => {
  it('continues the incoming flow with its return value and with sendMessage before and after an await; each call gets its own args', async () => {
    // The default flow has no step from yellow: a message yellow sends on it is dropped silently.
    const pipe = pipeline({ flows: parseFlows({ main: 'green >> yellow >> black', other: 'green >> black' }), defaultFlow: 'other' });
    const count = 6;
    const received: StreamMessage[] = [];
    const calls: Array<{ leaked: boolean; signal: AbortSignal; nodeName: string; message: unknown }> = [];
    const green = pipe.node({ name: 'green', childs: ['yellow', 'black'], algorithm: streamsUntilStopped((api) => sendNumbers(api, count, 'main')) });
    pipe.node({
      name: 'yellow',
      stateType: 'stateless',
      childs: ['black'],
      parents: ['green'],
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
    const black = pipe.node({ name: 'black', parents: ['yellow', 'green'], algorithm: readsMessages(received, count * 2 + count / 2) });
    await pipe.launch(green);
    await black.worker.next('done');
    const values = (key: string) =>
      received
        .map((item) => item.message)
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
