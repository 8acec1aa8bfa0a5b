import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CODE_API_REPLY_COMMANDS, CodeApiRequestError, createIdSource, DataSourceError, errorText, ExecutionStoppedError,
  ExecutionTimeoutError, MetricsDirError,
} from '../src/index.js';
import { flush, rejection, setup } from './fakes.js';

describe('progress', () => {
  it('sends progress {progress}', async () => {
    const { channel, session } = setup('v1');
    await session.api.progress(0);
    await session.api.progress(42.5);
    await session.api.progress(100);
    expect(channel.sent).toEqual([
      { command: 'progress', data: { progress: 0 } },
      { command: 'progress', data: { progress: 42.5 } },
      { command: 'progress', data: { progress: 100 } },
    ]);
  });

  it.each([-1, 100.5, Number.NaN, Number.POSITIVE_INFINITY, '50' as unknown as number])('rejects %s with RangeError and sends nothing', async (value) => {
    const { channel, session } = setup('v1');
    await expect(session.api.progress(value)).rejects.toBeInstanceOf(RangeError);
    expect(channel.sent).toEqual([]);
  });

  it("passes the channel's error on", async () => {
    const { channel, session } = setup('v1');
    channel.failWith = new Error('socket closed');
    await expect(session.api.progress(5)).rejects.toBe(channel.failWith);
  });
});

describe('spans', () => {
  it('startSpan sends name and tags; finishSpan sends tags and the error text', async () => {
    const { channel, session } = setup('v1');
    await session.api.startSpan('train');
    await session.api.startSpan('epoch', { n: 1 });
    await session.api.finishSpan({ ok: true });
    await session.api.finishSpan(undefined, new Error('diverged'));
    await session.api.finishSpan();
    expect(channel.sent).toEqual([
      { command: 'startSpan', data: { name: 'train' } },
      { command: 'startSpan', data: { name: 'epoch', tags: { n: 1 } } },
      { command: 'finishSpan', data: { tags: { ok: true } } },
      { command: 'finishSpan', data: { error: 'diverged' } },
      { command: 'finishSpan', data: {} },
    ]);
  });

  it('startSpan refuses an empty name', async () => {
    const { channel, session } = setup('v1');
    await expect(session.api.startSpan('')).rejects.toBeInstanceOf(TypeError);
    expect(channel.sent).toEqual([]);
  });
});

describe('getDataSource', () => {
  it('sends dataSourceRequest and resolves with {name, files}', async () => {
    const { channel, session } = setup('v1');
    const pending = session.api.getDataSource({ dataSourceId: 'ds-1' });
    expect(channel.sent).toEqual([{ command: 'dataSourceRequest', data: { requestId: 'task-1:1', dataSource: { dataSourceId: 'ds-1' } } }]);
    const response = { name: 'images', files: [{ name: 'a.png', path: '/hkube/datasources-storage/x/images/data/a.png', size: 3 }] };
    channel.reply({ command: 'dataSourceResponse', data: { requestId: 'task-1:1', response } });
    await expect(pending).resolves.toEqual(response);
    expect(session.pending).toBe(0);
  });

  it('sends only the snapshotId of a snapshot reference', async () => {
    const { channel, session } = setup('v1');
    const pending = session.api.getDataSource({ snapshotId: 'snap-1', extra: 'dropped' });
    expect(channel.sent[0]).toEqual({ command: 'dataSourceRequest', data: { requestId: 'task-1:1', dataSource: { snapshotId: 'snap-1' } } });
    channel.reply({ command: 'dataSourceResponse', data: { requestId: 'task-1:1', response: { name: 'n', files: [] } } });
    await expect(pending).resolves.toEqual({ name: 'n', files: [] });
  });

  it('rejects with DataSourceError on an error reply', async () => {
    const { channel, session } = setup('v1');
    const pending = session.api.getDataSource({ dataSourceId: 'nope' });
    channel.reply({ command: 'dataSourceResponse', data: { requestId: 'task-1:1', error: 'unable to find matching data-source' } });
    const error = await rejection(pending);
    expect(error).toBeInstanceOf(DataSourceError);
    expect(error).toMatchObject({
      code: 'DATA_SOURCE_FAILED', requestId: 'task-1:1', dataSource: { dataSourceId: 'nope' }, workerMessage: 'unable to find matching data-source',
    });
    expect((error as Error).message).toContain('dataSourceId nope');
  });

  it('rejects with DataSourceError on a relay error text in response, or a malformed response', async () => {
    const { channel, session } = setup('v1');
    const a = session.api.getDataSource({ dataSourceId: 'a' });
    const b = session.api.getDataSource({ dataSourceId: 'b' });
    channel.reply({ command: 'dataSourceResponse', data: { requestId: 'task-1:1', response: 'relay failure', error: undefined } });
    channel.reply({ command: 'dataSourceResponse', data: { requestId: 'task-1:2', response: [1, 2] } });
    await expect(a).rejects.toMatchObject({ workerMessage: 'relay failure' });
    expect((await rejection(b)) as DataSourceError).toHaveProperty('workerMessage', 'malformed response (expected {name, files}, got array)');
  });

  it('ignores responses for unknown or answered ids', async () => {
    const { channel, session } = setup('v1');
    const pending = session.api.getDataSource({ dataSourceId: 'a' });
    channel.reply({ command: 'dataSourceResponse', data: { requestId: 'other', error: 'x' } });
    channel.reply({ command: 'dataSourceResponse', data: { requestId: 'task-1:1', response: { name: 'a', files: [] } } });
    channel.reply({ command: 'dataSourceResponse', data: { requestId: 'task-1:1', error: 'late' } });
    await expect(pending).resolves.toEqual({ name: 'a', files: [] });
  });

  it('refuses references without exactly one id', async () => {
    const { channel, session } = setup('v1');
    await expect(session.api.getDataSource({} as never)).rejects.toBeInstanceOf(TypeError);
    await expect(session.api.getDataSource({ dataSourceId: '' })).rejects.toBeInstanceOf(TypeError);
    await expect(session.api.getDataSource({ dataSourceId: 'a', snapshotId: 'b' })).rejects.toBeInstanceOf(TypeError);
    await expect(session.api.getDataSource({ dataSourceId: 'a' }, { timeoutMs: 0 })).rejects.toBeInstanceOf(RangeError);
    expect(channel.sent).toEqual([]);
  });

  it('honours abort signals and timeouts', async () => {
    const { channel, session } = setup('v1');
    const controller = new AbortController();
    const aborted = session.api.getDataSource({ dataSourceId: 'a' }, { signal: controller.signal });
    const timedOut = session.api.getDataSource({ dataSourceId: 'b' }, { timeoutMs: 5 });
    controller.abort('enough');
    await expect(aborted).rejects.toBeInstanceOf(ExecutionStoppedError);
    await expect(aborted).rejects.toMatchObject({ kind: 'dataSource', reason: 'enough', target: 'dataSourceId a' });
    await expect(timedOut).rejects.toBeInstanceOf(ExecutionTimeoutError);
    await expect(timedOut).rejects.toMatchObject({ kind: 'dataSource', timeoutMs: 5 });
    await expect(session.api.getDataSource({ dataSourceId: 'c' }, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(ExecutionStoppedError);
    expect(channel.sent).toHaveLength(2);
    expect(session.pending).toBe(0);
  });

  it('rejects with CodeApiRequestError when the request cannot be sent', async () => {
    const { channel, session } = setup('v1');
    channel.failWith = new Error('socket closed');
    await expect(session.api.getDataSource({ dataSourceId: 'a' })).rejects.toBeInstanceOf(CodeApiRequestError);
    expect(session.pending).toBe(0);
  });
});

describe('metrics directory', () => {
  it('exposes ALGO_METRICS_DIR and creates it on demand', async () => {
    const root = await mkdtemp(join(tmpdir(), 'codeapi-metrics-'));
    try {
      const dir = join(root, 'var', 'metrics');
      const { session } = setup('v1', { metricsDir: dir });
      expect(session.api.metricsDir).toBe(dir);
      await expect(session.api.ensureMetricsDir()).resolves.toBe(dir);
      expect((await stat(dir)).isDirectory()).toBe(true);
      await expect(session.api.ensureMetricsDir()).resolves.toBe(dir);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('rejects with MetricsDirError when none is configured or it cannot be created', async () => {
    const { session } = setup('v1');
    expect(session.api.metricsDir).toBeUndefined();
    await expect(session.api.ensureMetricsDir()).rejects.toBeInstanceOf(MetricsDirError);

    const root = await mkdtemp(join(tmpdir(), 'codeapi-metrics-'));
    try {
      const file = join(root, 'a-file');
      await writeFile(file, 'x');
      const blocked = setup('v1', { metricsDir: join(file, 'metrics') }).session;
      await expect(blocked.api.ensureMetricsDir()).rejects.toMatchObject({ code: 'METRICS_DIR_UNAVAILABLE', path: join(file, 'metrics') });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('helpers', () => {
  it('createIdSource counts from 1 after the prefix', () => {
    const next = createIdSource('t:');
    expect([next(), next(), next()]).toEqual(['t:1', 't:2', 't:3']);
  });

  it('errorText prefers error, then response, and describes non-strings', () => {
    expect(errorText({ error: 'a', response: 'b' })).toBe('a');
    expect(errorText({ response: 'b' })).toBe('b');
    expect(errorText({ error: '', response: { message: 'm' } })).toBe('m');
    expect(errorText({ response: { code: 1 } })).toBe('{"code":1}');
    expect(errorText({})).toMatch(/no error text/);
  });

  it('CODE_API_REPLY_COMMANDS lists the replies the Code API handles', () => {
    expect([...CODE_API_REPLY_COMMANDS].sort()).toEqual([
      'algorithmExecutionDone', 'algorithmExecutionError', 'dataSourceResponse', 'subPipelineDone', 'subPipelineError', 'subPipelineStarted', 'subPipelineStopped',
    ]);
  });

  it('a reply listener never throws, whatever arrives', async () => {
    const errors: unknown[] = [];
    const { channel, session } = setup('v1', { onBackgroundError: (error) => errors.push(error) });
    const run = session.api.startAlgorithm('a');
    for (const junk of [null, 42, { command: 'algorithmExecutionDone' }, { command: 'nonsense', data: {} }, { command: 'dataSourceResponse', data: 'x' }]) {
      expect(() => channel.reply(junk as never)).not.toThrow();
    }
    await flush();
    expect(run.status).toBe('running');
    expect(errors).toEqual([]);
    session.close();
  });
});
