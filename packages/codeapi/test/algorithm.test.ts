import { HkubeError } from '@hkube-ts/protocol';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  AlgorithmExecutionError, CodeApiError, CodeApiRequestError, ResultFetchError, type Execution,
} from '../src/index.js';
import { flush, rejection, setup, shuffled } from './fakes.js';

describe('startAlgorithm in storage mode v1', () => {
  it('sends the input inline, in the same tick, and resolves with the response', async () => {
    const { channel, session } = setup('v1');
    const run = session.api.startAlgorithm<number>('green-alg', [1, { a: 2 }]);

    expect(channel.sent).toEqual([
      { command: 'startAlgorithmExecution', data: { execId: 'task-1:1', algorithmName: 'green-alg', input: [1, { a: 2 }], includeResult: true } },
    ]);
    expect(run.id).toBe('task-1:1');
    expect(run.kind).toBe('algorithm');
    expect(run.name).toBe('green-alg');
    expect(run.status).toBe('running');
    expect(run.settledAt).toBeUndefined();

    channel.reply({ command: 'algorithmExecutionDone', data: { execId: 'task-1:1', response: 42 } });
    await expect(run).resolves.toBe(42);
    expect(run.status).toBe('succeeded');
    expect(run.settledAt).toBeTypeOf('number');
  });

  it('defaults the input to [] and never reads storage, even for a descriptor-shaped value', async () => {
    const { channel, data, session } = setup('v1');
    const run = session.api.startAlgorithm('green-alg');
    expect(channel.sent[0]).toEqual({
      command: 'startAlgorithmExecution', data: { execId: 'task-1:1', algorithmName: 'green-alg', input: [], includeResult: true },
    });
    const value = { storageInfo: { path: 'looks/like/a/path' } };
    channel.reply({ command: 'algorithmExecutionDone', data: { execId: run.id, response: value } });
    await expect(run).resolves.toEqual(value);
    expect(data.reads).toEqual([]);
  });

  it('sends includeResult: false and resolves null', async () => {
    const { channel, session } = setup('v1');
    const run = session.api.startAlgorithm('green-alg', [1], { includeResult: false });
    expectTypeOf(run).toEqualTypeOf<Execution<null>>();
    expect(channel.sent[0]?.data).toMatchObject({ includeResult: false });
    channel.reply({ command: 'algorithmExecutionDone', data: { execId: run.id, response: { storageInfo: { path: 'x' } } } });
    await expect(run).resolves.toBeNull();
  });
});

describe('startAlgorithm in storage mode v3', () => {
  it('stores the input and sends storageInput + storage without inline input', async () => {
    const { channel, data, session } = setup('v3');
    const run = session.api.startAlgorithm('green-alg', ['big', { x: 1 }]);
    expect(channel.sent).toEqual([]); // the input is being written first
    await channel.waitForSent(1);

    expect(data.writes).toEqual([['big', { x: 1 }]]);
    expect(channel.sent).toEqual([
      {
        command: 'startAlgorithmExecution',
        data: {
          execId: 'task-1:1',
          algorithmName: 'green-alg',
          storageInput: ['$$key1', '$$key2'],
          storage: {
            key1: { storageInfo: { path: 'local-hkube/job-1/key1', size: 5 } },
            key2: { storageInfo: { path: 'local-hkube/job-1/key2', size: 7 } },
          },
          includeResult: true,
        },
      },
    ]);
    expect(channel.sent[0]?.data).not.toHaveProperty('input');

    data.store.set('local-hkube/job-1/child-task', { answer: 42 });
    channel.reply({
      command: 'algorithmExecutionDone',
      data: { execId: run.id, response: { storageInfo: { path: 'local-hkube/job-1/child-task', size: 13 }, metadata: {} } },
    });
    await expect(run).resolves.toEqual({ answer: 42 });
    expect(data.reads).toEqual(['local-hkube/job-1/child-task']);
  });

  it('returns the response itself when it is not a storage descriptor', async () => {
    const { channel, data, session } = setup('v3');
    const run = session.api.startAlgorithm('green-alg', []);
    await channel.waitForSent(1);
    channel.reply({ command: 'algorithmExecutionDone', data: { execId: run.id, response: 'inline' } });
    await expect(run).resolves.toBe('inline');
    expect(data.reads).toEqual([]);
  });

  it('with includeResult: false resolves null without reading storage', async () => {
    const { channel, data, session } = setup('v3');
    const run = session.api.startAlgorithm('green-alg', [1], { includeResult: false });
    await channel.waitForSent(1);
    expect(channel.sent[0]?.data).toMatchObject({ includeResult: false, storageInput: ['$$key1'] });
    channel.reply({ command: 'algorithmExecutionDone', data: { execId: run.id, response: { storageInfo: { path: 'local-hkube/job-1/t' } } } });
    await expect(run).resolves.toBeNull();
    expect(data.reads).toEqual([]);
  });

  it('rejects with ResultFetchError when the result cannot be read', async () => {
    const { channel, session } = setup('v3');
    const run = session.api.startAlgorithm('green-alg');
    await channel.waitForSent(1);
    channel.reply({ command: 'algorithmExecutionDone', data: { execId: run.id, response: { storageInfo: { path: 'gone/object' } } } });
    const error = await rejection(run);
    expect(error).toBeInstanceOf(ResultFetchError);
    expect(error).toMatchObject({ code: 'RESULT_FETCH_FAILED', id: run.id, kind: 'algorithm', path: 'gone/object' });
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(run.status).toBe('failed');
  });

  it('rejects with CodeApiRequestError (writeInput) when storing the input fails, and sends nothing', async () => {
    const { channel, data, session } = setup('v3');
    data.writeError = new Error('disk full');
    const run = session.api.startAlgorithm('green-alg', [1]);
    const error = await rejection(run);
    expect(error).toBeInstanceOf(CodeApiRequestError);
    expect(error).toMatchObject({ code: 'REQUEST_FAILED', phase: 'writeInput', id: run.id, cause: data.writeError });
    expect(channel.sent).toEqual([]);
    expect(session.pending).toBe(0);
  });
});

describe('algorithm execution failures', () => {
  it('rejects with AlgorithmExecutionError carrying the ids and the worker text', async () => {
    const { channel, session } = setup('v1');
    const run = session.api.startAlgorithm('missing-alg', [1]);
    channel.reply({ command: 'algorithmExecutionError', data: { execId: run.id, error: "Algorithm named 'missing-alg' does not exist" } });
    const error = await rejection(run);
    expect(error).toBeInstanceOf(AlgorithmExecutionError);
    expect(error).toBeInstanceOf(CodeApiError);
    expect(HkubeError.is(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'ALGORITHM_EXECUTION_FAILED',
      execId: 'task-1:1',
      algorithmName: 'missing-alg',
      workerMessage: "Algorithm named 'missing-alg' does not exist",
    });
    expect((error as Error).message).toContain("Algorithm named 'missing-alg' does not exist");
    expect(run.status).toBe('failed');
  });

  it('reads the error text from `response` as the debug relay sends it', async () => {
    const { channel, session } = setup('v1');
    const run = session.api.startAlgorithm('green-alg');
    channel.reply({ command: 'algorithmExecutionError', data: { execId: run.id, response: 'relay says no' } });
    await expect(run).rejects.toMatchObject({ workerMessage: 'relay says no' });
  });

  it('ignores error and done replies for unknown ids, and replies of the wrong kind', async () => {
    const { channel, session } = setup('v1');
    const run = session.api.startAlgorithm('green-alg');
    expect(() => {
      channel.reply({ command: 'algorithmExecutionError', data: { execId: 'nobody', error: 'late failure' } });
      channel.reply({ command: 'algorithmExecutionError', data: { error: 'no execId at all' } as never });
      channel.reply({ command: 'algorithmExecutionDone', data: { execId: 'nobody', response: 1 } });
      channel.reply({ command: 'subPipelineDone', data: { subPipelineId: run.id, response: [] } });
      channel.reply({ command: 'subPipelineError', data: { subPipelineId: run.id, error: 'wrong kind' } });
      channel.reply({ command: 'algorithmExecutionDone', data: null } as never);
    }).not.toThrow();
    await flush();
    expect(run.status).toBe('running');
    channel.reply({ command: 'algorithmExecutionDone', data: { execId: run.id, response: 'mine' } });
    await expect(run).resolves.toBe('mine');
  });

  it('ignores replies for an already settled execution', async () => {
    const { channel, session } = setup('v1');
    const run = session.api.startAlgorithm('green-alg');
    channel.reply({ command: 'algorithmExecutionDone', data: { execId: run.id, response: 'first' } });
    channel.reply({ command: 'algorithmExecutionError', data: { execId: run.id, error: 'second' } });
    channel.reply({ command: 'algorithmExecutionDone', data: { execId: run.id, response: 'third' } });
    await expect(run).resolves.toBe('first');
  });

  it('rejects with CodeApiRequestError (send) when the channel refuses the request', async () => {
    const { channel, session } = setup('v1');
    channel.failWith = new Error('socket closed');
    const run = session.api.startAlgorithm('green-alg');
    await expect(run).rejects.toBeInstanceOf(CodeApiRequestError);
    await expect(run).rejects.toMatchObject({ phase: 'send', cause: channel.failWith });
    expect(run.status).toBe('failed');
  });

  it('refuses bad arguments with a rejected handle and sends nothing', async () => {
    const { channel, session } = setup('v1');
    await expect(session.api.startAlgorithm('')).rejects.toBeInstanceOf(TypeError);
    await expect(session.api.startAlgorithm('alg', 'not-an-array' as never)).rejects.toBeInstanceOf(TypeError);
    await expect(session.api.startAlgorithm('alg', [], { timeoutMs: -1 })).rejects.toBeInstanceOf(RangeError);
    await expect(session.api.startAlgorithm('alg', [], { timeoutMs: Number.NaN })).rejects.toBeInstanceOf(RangeError);
    expect(channel.sent).toEqual([]);
    expect(session.pending).toBe(0);
  });
});

describe('handles and ids', () => {
  it('work with await, .result, .then, .catch, .finally and Promise.all', async () => {
    const { channel, session } = setup('v1');
    const a = session.api.startAlgorithm<number>('a');
    const b = session.api.startAlgorithm<number>('b');
    const c = session.api.startAlgorithm<number>('c');
    channel.reply({ command: 'algorithmExecutionDone', data: { execId: b.id, response: 2 } });
    channel.reply({ command: 'algorithmExecutionDone', data: { execId: a.id, response: 1 } });
    channel.reply({ command: 'algorithmExecutionError', data: { execId: c.id, error: 'c failed' } });

    await expect(Promise.all([a, b])).resolves.toEqual([1, 2]);
    await expect(a.result).resolves.toBe(1);
    await expect(a.then((value) => value * 10)).resolves.toBe(10);
    await expect(c.catch((error: unknown) => (error as AlgorithmExecutionError).workerMessage)).resolves.toBe('c failed');
    let finished = false;
    await expect(b.finally(() => (finished = true))).resolves.toBe(2);
    expect(finished).toBe(true);
  });

  it('share one counter across executions, sub-pipelines and data-source requests', async () => {
    const { channel, session } = setup('v1');
    const ids = [
      session.api.startAlgorithm('a').id,
      session.api.startStoredSubpipeline('p').id,
      session.api.startRawSubpipeline('q', []).id,
    ];
    void session.api.getDataSource({ dataSourceId: 'ds' }).catch(() => undefined);
    expect(ids).toEqual(['task-1:1', 'task-1:2', 'task-1:3']);
    expect(channel.sent[3]).toMatchObject({ command: 'dataSourceRequest', data: { requestId: 'task-1:4' } });
    session.close();
    await flush();
  });

  it('use the configured id prefix', () => {
    const { session } = setup('v1', { idPrefix: 'custom-' });
    expect(session.api.startAlgorithm('a').id).toBe('custom-1');
    session.close();
  });

  it('record startedAt and settledAt from the injected clock', async () => {
    let clock = 1000;
    const { channel, session } = setup('v1', { now: () => clock });
    const run = session.api.startAlgorithm('a');
    expect(run.startedAt).toBe(1000);
    clock = 1500;
    channel.reply({ command: 'algorithmExecutionDone', data: { execId: run.id, response: null } });
    await run;
    expect(run.settledAt).toBe(1500);
  });
});

describe('100 concurrent executions', () => {
  it.each(['v1', 'v3'] as const)('settle with the right values when replies arrive shuffled (%s)', async (mode) => {
    const { channel, data, session } = setup(mode);
    const runs = Array.from({ length: 100 }, (_, i) => session.api.startAlgorithm<number>(`alg-${i % 7}`, [i]));
    await channel.waitForSent(100);
    expect(new Set(runs.map((run) => run.id)).size).toBe(100);
    expect(session.pending).toBe(100);

    const starts = channel.ofCommand('startAlgorithmExecution');
    for (const { data: request } of shuffled(starts)) {
      const index = runs.findIndex((run) => run.id === request.execId);
      if (index % 10 === 3) {
        channel.reply({ command: 'algorithmExecutionError', data: { execId: request.execId, error: `failed ${index}` } });
      } else if (mode === 'v3') {
        const path = `local-hkube/job-1/result-${index}`;
        data.store.set(path, index * 2);
        channel.reply({ command: 'algorithmExecutionDone', data: { execId: request.execId, response: { storageInfo: { path, size: 1 } } } });
      } else {
        channel.reply({ command: 'algorithmExecutionDone', data: { execId: request.execId, response: index * 2 } });
      }
    }

    const outcomes = await Promise.allSettled(runs);
    outcomes.forEach((outcome, index) => {
      if (index % 10 === 3) {
        expect(outcome.status).toBe('rejected');
        expect((outcome as PromiseRejectedResult).reason).toMatchObject({ workerMessage: `failed ${index}`, algorithmName: `alg-${index % 7}` });
      } else {
        expect(outcome).toEqual({ status: 'fulfilled', value: index * 2 });
      }
    });
    expect(session.pending).toBe(0);
  });
});
