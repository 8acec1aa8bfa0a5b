import { describe, expect, it } from 'vitest';
import { firstValueFrom, Observable } from 'rxjs';
import {
  NotStreamingTaskError, StreamingClosedError, type StreamingBackend, type StreamInputListener, type StreamMessage,
} from '../src/index.js';
import { setup } from './fakes.js';

/** A backend that records what the Code API delegates to it. */
function recordingBackend(): StreamingBackend & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  const messages$ = new Observable<StreamMessage>((subscriber) => subscriber.next({ message: 1, origin: 'p' }));
  return {
    calls,
    registerInputListener: (listener: StreamInputListener) => void calls.push(['registerInputListener', typeof listener]),
    startMessageListening: () => void calls.push(['startMessageListening']),
    sendMessage: (message: unknown, flowName?: string) => void calls.push(['sendMessage', message, flowName]),
    getStreamingStatistics: () => ({ binarySize: 1, configuredMaxBinarySize: 2, statisticsPerNode: [] }),
    messages: <T>() => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: false as const, value: { message: 'm' as T, origin: 'o' } }) }) }),
    messages$,
  };
}

describe('the streaming part of the Code API', () => {
  it('outside a streaming task every method fails with NotStreamingTaskError naming the task', async () => {
    const { session } = setup();
    const { api } = session;
    for (const call of [() => api.sendMessage(1), () => api.registerInputListener(() => undefined), () => api.startMessageListening(), () => api.getStreamingStatistics()]) {
      expect(call).toThrow(NotStreamingTaskError);
    }
    expect(() => api.sendMessage(1)).toThrow('task task-1 is not a streaming task');
    await expect(api.messages()[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(NotStreamingTaskError);
    await expect(firstValueFrom(api.messages$)).rejects.toBeInstanceOf(NotStreamingTaskError);
  });

  it('delegates to the backend the wrapper supplies, checking arguments first', async () => {
    const backend = recordingBackend();
    const { session } = setup('v1', { streaming: backend });
    const { api } = session;
    api.registerInputListener(() => undefined);
    api.startMessageListening();
    api.sendMessage({ a: 1 });
    api.sendMessage('x', 'analyze');
    expect(() => api.sendMessage('x', '')).toThrow(TypeError);
    expect(() => api.registerInputListener('nope' as unknown as StreamInputListener)).toThrow(TypeError);
    expect(backend.calls).toEqual([
      ['registerInputListener', 'function'],
      ['startMessageListening'],
      ['sendMessage', { a: 1 }, undefined],
      ['sendMessage', 'x', 'analyze'],
    ]);
    expect(api.getStreamingStatistics()).toEqual({ binarySize: 1, configuredMaxBinarySize: 2, statisticsPerNode: [] });
    expect(await api.messages()[Symbol.asyncIterator]().next()).toEqual({ done: false, value: { message: 'm', origin: 'o' } });
    expect(await firstValueFrom(api.messages$)).toEqual({ message: 1, origin: 'p' });
  });

  it('streaming keeps working after the session closes (the wrapper ends it itself)', () => {
    const backend = recordingBackend();
    const { session } = setup('v1', { streaming: backend });
    session.close('task stopped');
    session.api.sendMessage('from stop()');
    expect(backend.calls).toEqual([['sendMessage', 'from stop()', undefined]]);
    expect(new StreamingClosedError('t', 'why').code).toBe('STREAMING_CLOSED');
  });
});
