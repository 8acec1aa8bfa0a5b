import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ExecutionStoppedError, ResultFetchError, SubpipelineError, type Execution, type PipelineResultEntry,
} from '../src/index.js';
import { flush, rejection, setup } from './fakes.js';

describe('sub-pipeline requests', () => {
  it('stored: sends name and flowInput with includeResult', () => {
    const { channel, session } = setup('v3');
    const run = session.api.startStoredSubpipeline('simple', { files: { link: 'links-1' } });
    expectTypeOf(run).toEqualTypeOf<Execution<PipelineResultEntry[]>>();
    expect(run.kind).toBe('subpipeline');
    expect(channel.sent).toEqual([
      {
        command: 'startStoredSubPipeline',
        data: { subPipelineId: 'task-1:1', subPipeline: { name: 'simple', flowInput: { files: { link: 'links-1' } } }, includeResult: true },
      },
    ]);
  });

  it('stored: defaults flowInput to {}', () => {
    const { channel, session } = setup('v1');
    session.api.startStoredSubpipeline('simple', undefined, { includeResult: false });
    expect(channel.sent[0]).toEqual({
      command: 'startStoredSubPipeline', data: { subPipelineId: 'task-1:1', subPipeline: { name: 'simple', flowInput: {} }, includeResult: false },
    });
  });

  it('raw: sends nodes, flowInput, options and webhooks (defaults {})', () => {
    const { channel, session } = setup('v1');
    const nodes = [{ nodeName: 'a', algorithmName: 'green-alg', input: [42] }];
    session.api.startRawSubpipeline('adhoc', nodes);
    session.api.startRawSubpipeline('adhoc', nodes, { x: 1 }, {
      options: { batchTolerance: 80 }, webhooks: { complete: 'http://hook' }, includeResult: false,
    });
    expect(channel.sent).toEqual([
      {
        command: 'startRawSubPipeline',
        data: { subPipelineId: 'task-1:1', subPipeline: { name: 'adhoc', nodes, flowInput: {}, options: {}, webhooks: {} }, includeResult: true },
      },
      {
        command: 'startRawSubPipeline',
        data: {
          subPipelineId: 'task-1:2',
          subPipeline: { name: 'adhoc', nodes, flowInput: { x: 1 }, options: { batchTolerance: 80 }, webhooks: { complete: 'http://hook' } },
          includeResult: false,
        },
      },
    ]);
  });

  it('refuses bad arguments with a rejected handle', async () => {
    const { channel, session } = setup('v1');
    await expect(session.api.startRawSubpipeline('p', 'nodes' as never)).rejects.toBeInstanceOf(TypeError);
    await expect(session.api.startStoredSubpipeline('p', [] as never)).rejects.toBeInstanceOf(TypeError);
    await expect(session.api.startStoredSubpipeline(42 as never)).rejects.toBeInstanceOf(TypeError);
    expect(channel.sent).toEqual([]);
  });
});

describe('sub-pipeline results', () => {
  it('v1: resolves with the results array, filling big-data entries from storage', async () => {
    const { channel, data, session } = setup('v1');
    data.store.set('local-hkube/sub-job/big-1', { huge: true });
    const run = session.api.startRawSubpipeline('adhoc', []);
    const response = [
      { nodeName: 'a', algorithmName: 'green-alg', result: 42 },
      { nodeName: 'b', algorithmName: 'big-alg', batchIndex: 1, info: { path: 'local-hkube/sub-job/big-1', isBigData: true, message: 'too large' } },
      { nodeName: 'c', algorithmName: 'big-alg', result: 'already there', info: { path: 'not/read', isBigData: true } },
      { nodeName: 'd', algorithmName: 'failing-alg', error: 'boom' },
    ];
    channel.reply({ command: 'subPipelineDone', data: { subPipelineId: run.id, response } });
    await expect(run).resolves.toEqual([
      response[0],
      { ...response[1], result: { huge: true } },
      response[2],
      response[3],
    ]);
    expect(data.reads).toEqual(['local-hkube/sub-job/big-1']);
    expect(run.status).toBe('succeeded');
  });

  it('v3: reads result.json from the descriptor, then fills big-data entries', async () => {
    const { channel, data, session } = setup('v3');
    data.store.set('local-hkube-results/sub-job/result.json', [
      { nodeName: 'a', algorithmName: 'green-alg', result: 'links-1' },
      { nodeName: 'b', algorithmName: 'big-alg', info: { path: 'local-hkube/sub-job/b', isBigData: true } },
    ]);
    data.store.set('local-hkube/sub-job/b', [1, 2, 3]);
    const run = session.api.startStoredSubpipeline('simple');
    channel.reply({ command: 'subPipelineDone', data: { subPipelineId: run.id, response: { storageInfo: { path: 'local-hkube-results/sub-job/result.json' } } } });
    const results = await run;
    expect(results.map((entry) => entry.result)).toEqual(['links-1', [1, 2, 3]]);
    expect(data.reads).toEqual(['local-hkube-results/sub-job/result.json', 'local-hkube/sub-job/b']);
  });

  it('includeResult false: resolves null and reads nothing', async () => {
    const { channel, data, session } = setup('v3');
    const run = session.api.startStoredSubpipeline('simple', {}, { includeResult: false });
    expectTypeOf(run).toEqualTypeOf<Execution<null>>();
    channel.reply({ command: 'subPipelineDone', data: { subPipelineId: run.id, response: { storageInfo: { path: 'x/result.json' } } } });
    await expect(run).resolves.toBeNull();
    expect(data.reads).toEqual([]);
  });

  it('rejects with ResultFetchError naming the big-data path that could not be read', async () => {
    const { channel, session } = setup('v1');
    const run = session.api.startStoredSubpipeline('simple');
    channel.reply({
      command: 'subPipelineDone',
      data: { subPipelineId: run.id, response: [{ nodeName: 'b', algorithmName: 'x', info: { path: 'missing/big', isBigData: true } }] },
    });
    const error = await rejection(run);
    expect(error).toBeInstanceOf(ResultFetchError);
    expect(error).toMatchObject({ kind: 'subpipeline', path: 'missing/big' });
  });

  it('treats subPipelineStarted as information only', async () => {
    const { channel, session } = setup('v1');
    const run = session.api.startStoredSubpipeline('simple');
    channel.reply({ command: 'subPipelineStarted', data: { subPipelineId: run.id } });
    await flush();
    expect(run.status).toBe('running');
    channel.reply({ command: 'subPipelineDone', data: { subPipelineId: run.id, response: [] } });
    await expect(run).resolves.toEqual([]);
  });
});

describe('sub-pipeline failures', () => {
  it('subPipelineError rejects with SubpipelineError (text in error or, from the relay, in response)', async () => {
    const { channel, session } = setup('v1');
    const a = session.api.startStoredSubpipeline('simple');
    const b = session.api.startRawSubpipeline('adhoc', []);
    channel.reply({ command: 'subPipelineError', data: { subPipelineId: a.id, error: 'pipeline simple Not Found' } });
    channel.reply({ command: 'subPipelineError', data: { subPipelineId: b.id, response: 'relay: invalid pipeline' } });

    const errorA = await rejection(a);
    expect(errorA).toBeInstanceOf(SubpipelineError);
    expect(errorA).toMatchObject({
      code: 'SUBPIPELINE_FAILED', subPipelineId: a.id, pipelineName: 'simple', workerMessage: 'pipeline simple Not Found',
    });
    await expect(b).rejects.toMatchObject({ pipelineName: 'adhoc', workerMessage: 'relay: invalid pipeline' });
    expect(a.status).toBe('failed');
  });

  it('subPipelineError for an unknown id is ignored', async () => {
    const { channel, session } = setup('v1');
    const run = session.api.startStoredSubpipeline('simple');
    expect(() => channel.reply({ command: 'subPipelineError', data: { subPipelineId: 'unknown', error: 'x' } })).not.toThrow();
    expect(() => channel.reply({ command: 'subPipelineStopped', data: { subPipelineId: 'unknown', reason: 'x' } })).not.toThrow();
    await flush();
    expect(run.status).toBe('running');
    session.close();
  });

  it('subPipelineStopped rejects with ExecutionStoppedError (stoppedBy platform)', async () => {
    const { channel, session } = setup('v1');
    const run = session.api.startStoredSubpipeline('simple');
    channel.reply({ command: 'subPipelineStopped', data: { subPipelineId: run.id, reason: 'stopped by user' } });
    const error = await rejection(run);
    expect(error).toBeInstanceOf(ExecutionStoppedError);
    expect(error).toMatchObject({ id: run.id, kind: 'subpipeline', target: 'simple', reason: 'stopped by user', stoppedBy: 'platform' });
    expect(run.status).toBe('stopped');
  });
});
