import { describe, expect, it } from 'vitest';
import { InputHub } from '../../../src/streaming/session/input-hub.js';

const flowA = [{ source: 'me', next: ['a'] }];
const flowB = [{ source: 'me', next: ['b'] }];

describe('InputHub', () => {
  it('starts listening once, on the first startListening', () => {
    let starts = 0;
    const hub = new InputHub(() => starts++);
    expect(hub.listening).toBe(false);
    hub.startListening();
    hub.startListening();
    expect(starts).toBe(1);
    expect(hub.listening).toBe(true);
  });

  it('gives every listener (message, origin) and keeps the input context across awaits in each', async () => {
    const hub = new InputHub(() => undefined);
    const seen: unknown[] = [];
    hub.register(async (message, origin) => {
      await new Promise((resolve) => setTimeout(resolve, 2));
      seen.push(['first', message, origin, hub.current()?.flow]);
    });
    hub.register((message, origin) => void seen.push(['second', message, origin, hub.current()?.flow]));
    await Promise.all([hub.dispatch({ message: 1, origin: 'x' }, { flow: flowA }), hub.dispatch({ message: 2, origin: 'y' }, { flow: flowB })]);
    expect(seen).toEqual(
      expect.arrayContaining([
        ['first', 1, 'x', flowA],
        ['first', 2, 'y', flowB],
        ['second', 1, 'x', flowA],
        ['second', 2, 'y', flowB],
      ]),
    );
    expect(hub.current()).toBeUndefined();
  });

  it('rejects a dispatch with a failing listener after every listener ran', async () => {
    const hub = new InputHub(() => undefined);
    let ran = false;
    hub.register(() => {
      throw new Error('bad');
    });
    hub.register(() => void (ran = true));
    await expect(hub.dispatch({ message: 1, origin: 'x' }, {})).rejects.toThrow('bad');
    expect(ran).toBe(true);
  });

  it('messages(): an input counts as handled when the loop asks for the next one; the loop body sees its flow', async () => {
    const hub = new InputHub(() => undefined);
    const iterator = hub.messages()[Symbol.asyncIterator]();
    expect(hub.listening).toBe(true);
    let handled = false;
    const first = hub.dispatch({ message: 'a', origin: 'p' }, { flow: flowA }).then(() => (handled = true));
    const item = await iterator.next();
    expect(item).toEqual({ done: false, value: { message: 'a', origin: 'p' } });
    expect(hub.current()?.flow).toBe(flowA);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(handled).toBe(false);
    const second = iterator.next();
    await first;
    expect(handled).toBe(true);
    hub.close();
    expect(await second).toEqual({ done: true, value: undefined });
  });

  it('messages(): breaking out of the loop acks what was buffered and stops receiving', async () => {
    const hub = new InputHub(() => undefined);
    const received: unknown[] = [];
    const loop = (async () => {
      for await (const { message } of hub.messages()) {
        received.push(message);
        break;
      }
    })();
    await Promise.all([hub.dispatch({ message: 1, origin: 'p' }, {}), hub.dispatch({ message: 2, origin: 'p' }, {}), loop]);
    await hub.dispatch({ message: 3, origin: 'p' }, {});
    expect(received).toEqual([1]);
  });

  it('messages$ emits every input inside its context and completes on close', async () => {
    const hub = new InputHub(() => undefined);
    const seen: unknown[] = [];
    let completed = false;
    const subscription = hub.messages$.subscribe({
      next: ({ message, origin }) => seen.push([message, origin, hub.current()?.flow]),
      complete: () => (completed = true),
    });
    expect(hub.listening).toBe(true);
    await hub.dispatch({ message: 1, origin: 'o' }, { flow: flowA });
    hub.close();
    expect(seen).toEqual([[1, 'o', flowA]]);
    expect(completed).toBe(true);
    expect(subscription.closed).toBe(true);
    // After close, inputs go nowhere and new iterations end at once.
    await hub.dispatch({ message: 2, origin: 'o' }, {});
    expect(await hub.messages()[Symbol.asyncIterator]().next()).toEqual({ done: true, value: undefined });
  });
});
