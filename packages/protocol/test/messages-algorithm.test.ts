import { describe, expect, it } from 'vitest';
import { InvalidMessageError, UnknownCommandError, type DecodeResult } from '../src/errors/index.js';
import { parseAlgorithmMessage, type AlgorithmMessage } from '../src/messages/index.js';

function value<T>(result: DecodeResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.message}`);
  return result.value;
}

function invalid(input: unknown): InvalidMessageError {
  const result = parseAlgorithmMessage(input);
  if (result.ok) throw new Error(`expected a failure for ${JSON.stringify(input)}`);
  expect(result.error).toBeInstanceOf(InvalidMessageError);
  return result.error as InvalidMessageError;
}

const descriptor = {
  storageInfo: { path: 'local-hkube/job-1/task-1', size: 17 },
  metadata: { 'green.data': { type: 'array', size: 3 }, 'green.name': { type: 'string' } },
};

describe('parseAlgorithmMessage: valid messages round-trip unchanged', () => {
  const cases: AlgorithmMessage[] = [
    { command: 'initialized' },
    { command: 'initialized', data: null },
    { command: 'started' },
    { command: 'storing', data: descriptor },
    { command: 'storing', data: { ...descriptor, discovery: { host: '10.0.0.5', port: 9020 }, taskId: 'task-1' } },
    { command: 'done' },
    { command: 'done', data: { any: ['result', 1] } },
    { command: 'done', data: 0 },
    { command: 'errorMessage', error: { code: 'Failed', message: 'boom' } },
    { command: 'errorMessage', error: { code: 'Failed', message: 'boom', details: 'at line 1' } },
    { command: 'stopping' },
    { command: 'stopped', data: null },
    { command: 'progress', data: { progress: 42.5 } },
    { command: 'alive', data: null },
    { command: 'servingStatus', data: true },
    {
      command: 'streamingStatistics',
      data: [{ nodeName: 'B', sent: 10, queueSize: 1, responses: 9, dropped: 0, netDurations: [1, 2], durations: [3], queueDurations: [] }],
    },
    { command: 'dataSourceRequest', data: { requestId: 'uuid-1', dataSource: { dataSourceId: 'ds-1' } } },
    { command: 'dataSourceRequest', data: { requestId: 'uuid-1', dataSource: { snapshotId: 'snap-1' } } },
    {
      command: 'startAlgorithmExecution',
      data: {
        execId: '1',
        algorithmName: 'green-alg',
        storageInput: ['$$k1'],
        storage: { k1: { storageInfo: { path: 'local-hkube/job-1/k1', size: 9 } } },
        includeResult: true,
      },
    },
    { command: 'startAlgorithmExecution', data: { execId: '2', algorithmName: 'green-alg', input: [1, 'two'], resultAsRaw: false } },
    { command: 'stopAlgorithmExecution', data: { execId: '1' } },
    { command: 'stopAlgorithmExecution', data: { execId: '1', reason: 'no longer needed' } },
    {
      command: 'startRawSubPipeline',
      data: {
        subPipelineId: '3',
        subPipeline: { name: 'sub', nodes: [{ nodeName: 'a', algorithmName: 'b', input: [] }], flowInput: { x: 1 }, options: {}, webhooks: {} },
        includeResult: true,
      },
    },
    { command: 'startStoredSubPipeline', data: { subPipelineId: '4', subPipeline: { name: 'stored', flowInput: {} }, includeResult: false } },
    { command: 'stopSubPipeline', data: { subPipelineId: '4', reason: 'done' } },
    { command: 'startSpan', data: { name: 'my-span', tags: { a: 1 } } },
    { command: 'finishSpan', data: { tags: { b: 2 }, error: 'oops' } },
    { command: 'logData', data: ['line 1', 'line 2'] },
    { command: 'logData', data: [] },
    { command: 'streamingOutMessage', data: { message: { x: 1 }, flowName: 'main', sendMessageId: 'm-1' } },
    { command: 'streamingOutMessage', data: { message: 'hello', sendMessageId: null } },
    { command: 'streamingInMessageDone', data: { sendMessageId: 'm-1' } },
  ];

  it.each(cases.map((message) => [message.command, message] as const))('%s', (_command, message) => {
    expect(value(parseAlgorithmMessage(message))).toStrictEqual(message);
  });
});

describe('parseAlgorithmMessage: defaults', () => {
  it('errorMessage: code defaults to Failed; extra fields kept', () => {
    expect(value(parseAlgorithmMessage({ command: 'errorMessage', error: { message: 'boom' } }))).toStrictEqual({
      command: 'errorMessage',
      error: { code: 'Failed', message: 'boom' },
    });
    expect(value(parseAlgorithmMessage({ command: 'errorMessage', error: { code: null, message: '', stack: 's' } }))).toStrictEqual({
      command: 'errorMessage',
      error: { code: 'Failed', message: '', stack: 's' },
    });
  });

  it('servingStatus: absent data means true', () => {
    expect(value(parseAlgorithmMessage({ command: 'servingStatus' }))).toStrictEqual({ command: 'servingStatus', data: true });
    expect(value(parseAlgorithmMessage({ command: 'servingStatus', data: null }))).toStrictEqual({ command: 'servingStatus', data: true });
  });

  it('streamingStatistics: missing counters → 0, missing lists → [] (as the worker does)', () => {
    expect(value(parseAlgorithmMessage({ command: 'streamingStatistics', data: [{ nodeName: 'B', sent: 3, queueDurations: null }] }))).toStrictEqual({
      command: 'streamingStatistics',
      data: [{ nodeName: 'B', sent: 3, queueSize: 0, responses: 0, dropped: 0, netDurations: [], durations: [], queueDurations: [] }],
    });
  });

  it('finishSpan without data, streamingOutMessage without id', () => {
    expect(value(parseAlgorithmMessage({ command: 'finishSpan' }))).toStrictEqual({ command: 'finishSpan', data: {} });
    expect(value(parseAlgorithmMessage({ command: 'streamingOutMessage', data: { message: 1 } }))).toStrictEqual({
      command: 'streamingOutMessage',
      data: { message: 1, sendMessageId: null },
    });
  });

  it('null optional fields are dropped', () => {
    expect(
      value(parseAlgorithmMessage({ command: 'startAlgorithmExecution', data: { execId: '1', algorithmName: 'a', input: null, storage: null, includeResult: null } })),
    ).toStrictEqual({ command: 'startAlgorithmExecution', data: { execId: '1', algorithmName: 'a' } });
    expect(value(parseAlgorithmMessage({ command: 'storing', data: { ...descriptor, discovery: null, taskId: null } }))).toStrictEqual({
      command: 'storing',
      data: descriptor,
    });
  });

  it('storing: a string discovery port (Java) becomes a number', () => {
    const message = value(parseAlgorithmMessage({ command: 'storing', data: { ...descriptor, discovery: { host: 'h', port: '9020' }, taskId: 't' } }));
    expect(message.command === 'storing' && message.data.discovery).toStrictEqual({ host: 'h', port: 9020 });
  });

  it('done data is not inspected, however deep', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const message = { command: 'done', data: deep };
    expect(value(parseAlgorithmMessage(message)).command).toBe('done');
  });
});

describe('parseAlgorithmMessage: errors', () => {
  it('rejects non-messages and unknown commands', () => {
    expect(invalid(undefined).path).toBe('');
    expect(invalid({ data: 1 }).path).toBe('command');
    for (const command of ['initialize', 'exited', 'error', 'disconnect', 'hasOwnProperty']) {
      const result = parseAlgorithmMessage({ command });
      expect(!result.ok && result.error).toBeInstanceOf(UnknownCommandError);
    }
  });

  const cases: [string, unknown, string][] = [
    ['storing without data', { command: 'storing' }, 'data'],
    ['storing without storageInfo', { command: 'storing', data: { metadata: {} } }, 'data.storageInfo'],
    ['storing without path', { command: 'storing', data: { storageInfo: { size: 1 } } }, 'data.storageInfo.path'],
    ['storing without size', { command: 'storing', data: { storageInfo: { path: 'p' } } }, 'data.storageInfo.size'],
    ['storing bad metadata entry', { command: 'storing', data: { ...descriptor, metadata: { 'a.b': { size: 1 } } } }, 'data.metadata.a.b.type'],
    ['storing bad discovery', { command: 'storing', data: { ...descriptor, discovery: { host: '', port: 1 } } }, 'data.discovery.host'],
    ['storing empty taskId', { command: 'storing', data: { ...descriptor, taskId: '' } }, 'data.taskId'],
    ['errorMessage without error', { command: 'errorMessage', data: { message: 'x' } }, 'error'],
    ['errorMessage error a string', { command: 'errorMessage', error: 'boom' }, 'error'],
    ['errorMessage without message', { command: 'errorMessage', error: { code: 'Failed' } }, 'error.message'],
    ['errorMessage numeric code', { command: 'errorMessage', error: { code: 1, message: 'x' } }, 'error.code'],
    ['progress without data', { command: 'progress' }, 'data'],
    ['progress string', { command: 'progress', data: { progress: '50' } }, 'data.progress'],
    ['servingStatus a string', { command: 'servingStatus', data: 'true' }, 'data'],
    ['streamingStatistics object', { command: 'streamingStatistics', data: { nodeName: 'B' } }, 'data'],
    ['streamingStatistics without nodeName', { command: 'streamingStatistics', data: [{ sent: 1 }] }, 'data.0.nodeName'],
    ['streamingStatistics string counter', { command: 'streamingStatistics', data: [{ nodeName: 'B', sent: '1' }] }, 'data.0.sent'],
    ['streamingStatistics bad duration', { command: 'streamingStatistics', data: [{ nodeName: 'B', durations: [1, 'x'] }] }, 'data.0.durations.1'],
    ['dataSourceRequest without data', { command: 'dataSourceRequest' }, 'data'],
    ['dataSourceRequest without requestId', { command: 'dataSourceRequest', data: { dataSource: { dataSourceId: 'd' } } }, 'data.requestId'],
    ['dataSourceRequest without dataSource', { command: 'dataSourceRequest', data: { requestId: 'r' } }, 'data.dataSource'],
    ['dataSourceRequest empty dataSource', { command: 'dataSourceRequest', data: { requestId: 'r', dataSource: {} } }, 'data.dataSource'],
    ['dataSourceRequest numeric id', { command: 'dataSourceRequest', data: { requestId: 'r', dataSource: { dataSourceId: 1 } } }, 'data.dataSource.dataSourceId'],
    ['start execution without execId', { command: 'startAlgorithmExecution', data: { algorithmName: 'a' } }, 'data.execId'],
    ['start execution numeric execId', { command: 'startAlgorithmExecution', data: { execId: 1, algorithmName: 'a' } }, 'data.execId'],
    ['start execution without algorithmName', { command: 'startAlgorithmExecution', data: { execId: '1' } }, 'data.algorithmName'],
    ['start execution input object', { command: 'startAlgorithmExecution', data: { execId: '1', algorithmName: 'a', input: {} } }, 'data.input'],
    ['start execution storageInput string', { command: 'startAlgorithmExecution', data: { execId: '1', algorithmName: 'a', storageInput: '$$k' } }, 'data.storageInput'],
    ['start execution bad storage', { command: 'startAlgorithmExecution', data: { execId: '1', algorithmName: 'a', storage: { k: { storageInfo: {} } } } }, 'data.storage.k.storageInfo.path'],
    ['start execution includeResult string', { command: 'startAlgorithmExecution', data: { execId: '1', algorithmName: 'a', includeResult: 'yes' } }, 'data.includeResult'],
    ['stop execution without execId', { command: 'stopAlgorithmExecution', data: {} }, 'data.execId'],
    ['stop execution numeric reason', { command: 'stopAlgorithmExecution', data: { execId: '1', reason: 1 } }, 'data.reason'],
    ['raw sub-pipeline without subPipeline', { command: 'startRawSubPipeline', data: { subPipelineId: '1' } }, 'data.subPipeline'],
    ['raw sub-pipeline without id', { command: 'startRawSubPipeline', data: { subPipeline: {} } }, 'data.subPipelineId'],
    ['stored sub-pipeline numeric name', { command: 'startStoredSubPipeline', data: { subPipelineId: '1', subPipeline: { name: 1 } } }, 'data.subPipeline.name'],
    ['stop sub-pipeline numeric id', { command: 'stopSubPipeline', data: { subPipelineId: 4 } }, 'data.subPipelineId'],
    ['startSpan without name', { command: 'startSpan', data: { tags: {} } }, 'data.name'],
    ['startSpan tags array', { command: 'startSpan', data: { name: 's', tags: [] } }, 'data.tags'],
    ['finishSpan data string', { command: 'finishSpan', data: 's' }, 'data'],
    ['logData string', { command: 'logData', data: 'line' }, 'data'],
    ['logData number line', { command: 'logData', data: ['a', 1] }, 'data.1'],
    ['streamingOutMessage without data', { command: 'streamingOutMessage' }, 'data'],
    ['streamingOutMessage object id', { command: 'streamingOutMessage', data: { message: 1, sendMessageId: {} } }, 'data.sendMessageId'],
    ['streamingOutMessage numeric flow', { command: 'streamingOutMessage', data: { message: 1, flowName: 2 } }, 'data.flowName'],
    ['streamingInMessageDone without id', { command: 'streamingInMessageDone', data: {} }, 'data.sendMessageId'],
  ];

  it.each(cases)('%s', (_name, input, path) => {
    const error = invalid(input);
    expect(error.path).toBe(path);
    expect(error.command).toBe((input as { command: string }).command);
  });
});
