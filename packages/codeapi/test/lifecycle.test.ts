import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CodeApiClosedError, CodeApiRequestError, DEFAULT_STOP_REASON, ExecutionStoppedError, ExecutionTimeoutError,
} from '../src/index.js';
import { flush, gate, rejection, setup } from './fakes.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('stop()', () => {
  it('sends stopAlgorithmExecution, rejects the handle itself, and ignores a later done reply', async () => {
    const { channel, session } = setup('v1');
    const run = session.api.startAlgorithm('slow-alg', [1]);
    await run.stop('no longer needed');

    expect(channel.sent[1]).toEqual({ command: 'stopAlgorithmExecution', data: { execId: run.id, reason: 'no longer needed' } });
    const error = await rejection(run);
    expect(error).toBeInstanceOf(ExecutionStoppedError);
    expect(error).toMatchObject({ code: 'EXECUTION_STOPPED', id: run.id, kind: 'algorithm', target: 'slow-alg', reason: 'no longer needed', stoppedBy: 'caller' });
    expect(run.status).toBe('stopped');

    channel.reply({ command: 'algorithmExecutionDone', data: { execId: run.id, response: 'too late' } });
    channel.reply({ command: 'algorithmExecutionError', data: { execId: run.id, error: `unable to find execId ${run.id}` } });
    await flush();
    expect(run.status).toBe('stopped');
    await expect(run).rejects.toBe(error);

    await run.stop('again'); // no-op
    expect(channel.sent).toHaveLength(2);
  });

  it('uses a default reason', async () => {
    const { channel, session } = setup('v1');
    const run = session.api.startAlgorithm('slow-alg');
    await run.stop();
    expect(channel.sent[1]).toEqual({ command: 'stopAlgorithmExecution', data: { execId: run.id, reason: DEFAULT_STOP_REASON } });
    await expect(run).rejects.toMatchObject({ reason: DEFAULT_STOP_REASON });
  });

  it('sends stopSubPipeline for sub-pipelines', async () => {
    const { channel, session } = setup('v1');
    const run = session.api.startStoredSubpipeline('simple');
    await run.stop('enough');
    expect(channel.sent[1]).toEqual({ command: 'stopSubPipeline', data: { subPipelineId: run.id, reason: 'enough' } });
    await expect(run).rejects.toMatchObject({ kind: 'subpipeline', target: 'simple', reason: 'enough' });
  });

  it('is a no-op on a settled handle', async () => {
    const { channel, session } = setup('v1');
    const run = session.api.startAlgorithm('alg');
    channel.reply({ command: 'algorithmExecutionDone', data: { execId: run.id, response: 1 } });
    await run;
    await run.stop();
    expect(channel.sent).toHaveLength(1);
    expect(run.status).toBe('succeeded');
  });

  it('while the v3 input is being written: never sends the start nor the stop, and cancels the write', async () => {
    const { channel, data, session } = setup('v3');
    const writing = gate();
    data.writeGate = writing.promise;
    const run = session.api.startAlgorithm('alg', [1]);
    await flush();
    const stopped = run.stop('changed my mind');
    await expect(run).rejects.toBeInstanceOf(ExecutionStoppedError);
    expect(data.signals[0]?.aborted).toBe(true);
    writing.open();
    await stopped;
    await flush();
    expect(channel.sent).toEqual([]);
  });

  it('after the done reply (while the result is read): sends no stop and cancels the read', async () => {
    const { channel, data, session } = setup('v3');
    const reading = gate();
    data.readGate = reading.promise;
    data.store.set('res/path', 'value');
    const run = session.api.startAlgorithm('alg');
    await channel.waitForSent(1);
    channel.reply({ command: 'algorithmExecutionDone', data: { execId: run.id, response: { storageInfo: { path: 'res/path' } } } });
    await flush();
    await run.stop();
    await expect(run).rejects.toBeInstanceOf(ExecutionStoppedError);
    expect(data.signals.at(-1)?.aborted).toBe(true);
    reading.open();
    await flush();
    expect(channel.ofCommand('stopAlgorithmExecution')).toEqual([]);
    expect(run.status).toBe('stopped');
  });

  it('rejects with CodeApiRequestError when the stop command cannot be sent (the handle is stopped anyway)', async () => {
    const { channel, session } = setup('v1');
    const run = session.api.startAlgorithm('alg');
    await flush();
    channel.failWith = new Error('socket closed');
    await expect(run.stop()).rejects.toBeInstanceOf(CodeApiRequestError);
    expect(run.status).toBe('stopped');
  });

  it('leaves no unhandled rejection behind when nobody awaits the handle', async () => {
    const { session } = setup('v1');
    const run = session.api.startAlgorithm('alg');
    await run.stop(); // vitest fails the run on an unhandled rejection
    await flush();
  });
});

describe('abort signal', () => {
  it('stops a running execution: rejects with ExecutionStoppedError and sends the stop', async () => {
    const { channel, session } = setup('v1');
    const controller = new AbortController();
    const run = session.api.startAlgorithm('alg', [], { signal: controller.signal });
    controller.abort('user cancelled');
    const error = await rejection(run);
    expect(error).toBeInstanceOf(ExecutionStoppedError);
    expect(error).toMatchObject({ reason: 'user cancelled', stoppedBy: 'caller', cause: 'user cancelled' });
    await channel.waitForSent(2);
    expect(channel.sent[1]).toEqual({ command: 'stopAlgorithmExecution', data: { execId: run.id, reason: 'user cancelled' } });
  });

  it('uses the message of an Error reason', async () => {
    const { channel, session } = setup('v1');
    const controller = new AbortController();
    const run = session.api.startRawSubpipeline('p', [], {}, { signal: controller.signal });
    controller.abort(); // reason: DOMException AbortError
    await expect(run).rejects.toMatchObject({ reason: 'This operation was aborted' });
    await channel.waitForSent(2);
    expect(channel.sent[1]?.command).toBe('stopSubPipeline');
  });

  it('with an already aborted signal, rejects at once and sends nothing', async () => {
    const { channel, session } = setup('v1');
    const run = session.api.startAlgorithm('alg', [1], { signal: AbortSignal.abort('too late') });
    expect(run.status).toBe('stopped');
    await expect(run).rejects.toMatchObject({ reason: 'too late' });
    await flush();
    expect(channel.sent).toEqual([]);
  });

  it('has no effect once the handle settled', async () => {
    const { channel, session } = setup('v1');
    const controller = new AbortController();
    const run = session.api.startAlgorithm('alg', [], { signal: controller.signal });
    channel.reply({ command: 'algorithmExecutionDone', data: { execId: run.id, response: 'ok' } });
    await expect(run).resolves.toBe('ok');
    controller.abort();
    await flush();
    expect(channel.sent).toHaveLength(1);
  });
});

describe('timeoutMs', () => {
  it('rejects with ExecutionTimeoutError and sends the stop', async () => {
    const { channel, session } = setup('v1');
    const run = session.api.startAlgorithm('slow-alg', [], { timeoutMs: 5 });
    const error = await rejection(run);
    expect(error).toBeInstanceOf(ExecutionTimeoutError);
    expect(error).toMatchObject({ code: 'EXECUTION_TIMED_OUT', id: run.id, kind: 'algorithm', timeoutMs: 5 });
    expect(run.status).toBe('timedOut');
    await channel.waitForSent(2);
    expect(channel.sent[1]).toEqual({ command: 'stopAlgorithmExecution', data: { execId: run.id, reason: 'timed out after 5 ms' } });
  });

  it('is disarmed when the reply arrives in time', async () => {
    vi.useFakeTimers();
    const { channel, session } = setup('v1');
    const run = session.api.startStoredSubpipeline('p', {}, { timeoutMs: 1000 });
    channel.reply({ command: 'subPipelineDone', data: { subPipelineId: run.id, response: [] } });
    await expect(run).resolves.toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(5000);
    expect(channel.sent).toHaveLength(1);
  });

  it('reports a stop that cannot be sent to onBackgroundError', async () => {
    const errors: unknown[] = [];
    const { channel, session } = setup('v1', { onBackgroundError: (error) => errors.push(error) });
    const run = session.api.startAlgorithm('slow-alg', [], { timeoutMs: 5 });
    await flush();
    channel.failWith = new Error('socket closed');
    await expect(run).rejects.toBeInstanceOf(ExecutionTimeoutError);
    await flush();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(CodeApiRequestError);
  });
});

describe('session.close()', () => {
  it('rejects pending executions and data-source requests with CodeApiClosedError and sends no stop', async () => {
    const { channel, session } = setup('v1');
    const a = session.api.startAlgorithm('a');
    const b = session.api.startStoredSubpipeline('b');
    const ds = session.api.getDataSource({ dataSourceId: 'ds-1' });
    expect(session.pending).toBe(3);
    expect(channel.listenerCount).toBe(1);

    session.close('task finished');
    expect(session.closed).toBe(true);
    expect(session.pending).toBe(0);
    expect(channel.listenerCount).toBe(0);

    for (const pending of [a, b, ds]) {
      const error = await rejection(pending);
      expect(error).toBeInstanceOf(CodeApiClosedError);
      expect(error).toMatchObject({ code: 'CODE_API_CLOSED', reason: 'task finished' });
    }
    expect(await rejection(a)).toMatchObject({ id: a.id });
    expect(a.status).toBe('stopped');
    expect(b.status).toBe('stopped');
    await flush();
    expect(channel.sent.map((request) => request.command)).toEqual(['startAlgorithmExecution', 'startStoredSubPipeline', 'dataSourceRequest']);
  });

  it('makes every later call reject immediately', async () => {
    const { channel, session } = setup('v1');
    session.close('done');
    session.close('second reason is ignored');
    const run = session.api.startAlgorithm('a');
    expect(run.status).toBe('stopped');
    await expect(run).rejects.toMatchObject({ code: 'CODE_API_CLOSED', reason: 'done' });
    await expect(session.api.startRawSubpipeline('p', [])).rejects.toBeInstanceOf(CodeApiClosedError);
    await expect(session.api.getDataSource({ snapshotId: 's' })).rejects.toBeInstanceOf(CodeApiClosedError);
    await expect(session.api.progress(10)).rejects.toBeInstanceOf(CodeApiClosedError);
    await expect(session.api.startSpan('s')).rejects.toBeInstanceOf(CodeApiClosedError);
    await expect(session.api.finishSpan()).rejects.toBeInstanceOf(CodeApiClosedError);
    expect(channel.sent).toEqual([]);
  });

  it('ignores replies that arrive after close', async () => {
    const { channel, session } = setup('v1');
    const run = session.api.startAlgorithm('a');
    session.close();
    channel.reply({ command: 'algorithmExecutionDone', data: { execId: run.id, response: 1 } });
    await expect(run).rejects.toBeInstanceOf(CodeApiClosedError);
  });

  it('cancels a result read in progress', async () => {
    const { channel, data, session } = setup('v3');
    data.readGate = gate().promise; // never opens
    const run = session.api.startAlgorithm('a');
    await channel.waitForSent(1);
    channel.reply({ command: 'algorithmExecutionDone', data: { execId: run.id, response: { storageInfo: { path: 'p' } } } });
    await flush();
    session.close();
    await expect(run).rejects.toBeInstanceOf(CodeApiClosedError);
    expect(data.signals.at(-1)?.aborted).toBe(true);
  });
});
