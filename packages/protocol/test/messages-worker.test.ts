import { describe, expect, it } from 'vitest';
import { InvalidMessageError, UnknownCommandError, type DecodeResult } from '../src/errors/index.js';
import { parseWorkerMessage, type InitializePayload, type WorkerMessage } from '../src/messages/index.js';

function value<T>(result: DecodeResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.message}`);
  return result.value;
}

function invalid(input: unknown): InvalidMessageError {
  const result = parseWorkerMessage(input);
  if (result.ok) throw new Error(`expected a failure for ${JSON.stringify(input)}`);
  expect(result.error).toBeInstanceOf(InvalidMessageError);
  return result.error as InvalidMessageError;
}

const initializeData = {
  jobId: 'main:simple:abc',
  taskId: 'green:alg:1',
  nodeName: 'green',
  algorithmName: 'green-alg',
  pipelineName: 'simple',
  kind: 'batch',
  input: ['$$a1b2c3d4', { x: '$$e5f6g7h8', y: [1, 2] }, 5],
  storage: {
    a1b2c3d4: { storageInfo: { path: 'local-hkube/main:simple:abc/yellow:1', size: 12 }, path: '' },
    e5f6g7h8: [
      {
        storageInfo: { path: 'local-hkube/main:simple:abc/red:1' },
        path: 'x',
        metadata: { 'red.x': { type: 'array', size: 3 } },
        discovery: { host: '10.0.0.7', port: '9020' },
        taskId: 'red:1',
      },
      { discovery: { host: '10.0.0.8', port: 9020 }, tasks: ['blue:1', 'blue:2'], path: '' },
    ],
  },
  flatInput: { '0': '$$a1b2c3d4', '1.x': '$$e5f6g7h8', '1.y.0': 1, '1.y.1': 2, '2': 5 },
  useCache: false,
  spanId: { 'uber-trace-id': 'a0aa0bab5bfde7a6:7e187ec65fb04e0e:37bc77758a09b6a4:1' },
  info: { extraData: { any: 'thing' }, savePaths: ['green.x'], lastRunResult: null, rootJobId: 'main:simple:abc' },
  parents: ['yellow', 'red'],
  childs: ['black'],
  batchIndex: 0,
  ttl: 60,
  retry: { policy: 'OnCrash', limit: 3 },
  metrics: { tensorboard: false },
  priority: 3,
  spec: { custom: true },
  status: 'creating',
  entranceTime: 1_700_000_000_000,
  attempts: 1,
  somethingNew: { kept: true },
};

describe('parseWorkerMessage: valid messages', () => {
  it('initialize: keeps every field and normalises the storage ports', () => {
    const message = value(parseWorkerMessage({ command: 'initialize', data: initializeData }));
    expect(message.command).toBe('initialize');
    if (message.command !== 'initialize') return;
    const expected = structuredClone(initializeData) as unknown as { storage: { e5f6g7h8: [{ discovery: { port: unknown } }] } };
    expected.storage.e5f6g7h8[0].discovery.port = 9020;
    expect(message.data).toStrictEqual(expected);
    expect(message.data.input).toBe(initializeData.input); // user data is not copied or walked
  });

  it('initialize: absent input/storage/flatInput get their defaults; null optional fields are dropped', () => {
    const data = { jobId: 'j', taskId: 't', nodeName: 'n', algorithmName: 'a', storage: null, ttl: null, kind: null, spanId: null };
    const message = value(parseWorkerMessage({ command: 'initialize', data }));
    const expected: InitializePayload = { jobId: 'j', taskId: 't', nodeName: 'n', algorithmName: 'a', input: [], storage: {}, flatInput: null, spanId: null };
    expect(message).toStrictEqual({ command: 'initialize', data: expected });
    expect(data.ttl).toBeNull(); // the input is not mutated
  });

  it('initialize: the debug relay payload (kind batch, flatInput null, resolved input, extra streamInput) passes', () => {
    const data = { ...initializeData, flatInput: null, input: [{ big: 'value' }], streamInput: { message: 1, origin: 'A' } };
    const message = value(parseWorkerMessage({ command: 'initialize', data }));
    expect(message.command === 'initialize' && message.data.flatInput).toBeNull();
    expect(message.command === 'initialize' && message.data.streamInput).toStrictEqual({ message: 1, origin: 'A' });
  });

  it('start: the worker form, absent data, and the relay form (full options)', () => {
    const spanId = { 'uber-trace-id': 'x:y:z:1' };
    expect(value(parseWorkerMessage({ command: 'start', data: { spanId } }))).toStrictEqual({ command: 'start', data: { spanId } });
    expect(value(parseWorkerMessage({ command: 'start' }))).toStrictEqual({ command: 'start', data: { spanId: null } });
    expect(value(parseWorkerMessage({ command: 'start', data: null }))).toStrictEqual({ command: 'start', data: { spanId: null } });
    expect(value(parseWorkerMessage({ command: 'start', data: { spanId: null } }))).toStrictEqual({ command: 'start', data: { spanId: null } });
    const relay = value(parseWorkerMessage({ command: 'start', data: initializeData }));
    expect(relay.command === 'start' && relay.data.jobId).toBe(initializeData.jobId);
    expect(relay.command === 'start' && relay.data.spanId).toStrictEqual(initializeData.spanId);
  });

  it('stop: forceStop kept, defaulted to false when data or the field is absent', () => {
    expect(value(parseWorkerMessage({ command: 'stop', data: { forceStop: true } }))).toStrictEqual({ command: 'stop', data: { forceStop: true } });
    expect(value(parseWorkerMessage({ command: 'stop' }))).toStrictEqual({ command: 'stop', data: { forceStop: false } });
    expect(value(parseWorkerMessage({ command: 'stop', data: null }))).toStrictEqual({ command: 'stop', data: { forceStop: false } });
    expect(value(parseWorkerMessage({ command: 'stop', data: {} }))).toStrictEqual({ command: 'stop', data: { forceStop: false } });
  });

  it('exit: exitCode kept, defaulted to 0', () => {
    expect(value(parseWorkerMessage({ command: 'exit', data: { exitCode: 0 } }))).toStrictEqual({ command: 'exit', data: { exitCode: 0 } });
    expect(value(parseWorkerMessage({ command: 'exit', data: { exitCode: 2 } }))).toStrictEqual({ command: 'exit', data: { exitCode: 2 } });
    expect(value(parseWorkerMessage({ command: 'exit' }))).toStrictEqual({ command: 'exit', data: { exitCode: 0 } });
  });

  it('serviceDiscoveryUpdate: entries validated, string ports become numbers', () => {
    const data = [
      { nodeName: 'A', address: { host: '10.0.0.1', port: 9022 }, type: 'Add' },
      { nodeName: 'B', address: { host: '10.0.0.2', port: '9022' }, type: 'Del' },
    ];
    expect(value(parseWorkerMessage({ command: 'serviceDiscoveryUpdate', data }))).toStrictEqual({
      command: 'serviceDiscoveryUpdate',
      data: [data[0], { nodeName: 'B', address: { host: '10.0.0.2', port: 9022 }, type: 'Del' }],
    });
    expect(value(parseWorkerMessage({ command: 'serviceDiscoveryUpdate', data: [] }))).toStrictEqual({ command: 'serviceDiscoveryUpdate', data: [] });
  });

  it('sub-pipeline replies', () => {
    const cases: WorkerMessage[] = [
      { command: 'subPipelineStarted', data: { subPipelineId: '3' } },
      { command: 'subPipelineDone', data: { subPipelineId: '3', response: [{ nodeName: 'a', algorithmName: 'b', result: 1 }] } },
      { command: 'subPipelineDone', data: { subPipelineId: '3', response: { storageInfo: { path: 'local-hkube-results/j/result.json' } } } },
      { command: 'subPipelineError', data: { subPipelineId: '3', error: 'No errors' } },
      { command: 'subPipelineError', data: { subPipelineId: '3', response: 'failed in the relay' } },
      { command: 'subPipelineStopped', data: { subPipelineId: '3', reason: 'stopped by user' } },
    ];
    for (const message of cases) expect(value(parseWorkerMessage(message))).toStrictEqual(message);
  });

  it('algorithm execution and data source replies, including the relay quirk (error in response)', () => {
    const cases: WorkerMessage[] = [
      { command: 'algorithmExecutionDone', data: { execId: '1', response: { storageInfo: { path: 'p', size: 1 }, metadata: {} } } },
      { command: 'algorithmExecutionDone', data: { execId: '1' } },
      { command: 'algorithmExecutionError', data: { execId: '1', error: "Algorithm named 'x' does not exist" } },
      { command: 'algorithmExecutionError', data: { execId: '1', response: 'relay error text' } },
      { command: 'dataSourceResponse', data: { requestId: 'uuid-1', response: { name: 'ds', files: [] } } },
      { command: 'dataSourceResponse', data: { requestId: 'uuid-1', error: 'unable to find matching data-source' } },
    ];
    for (const message of cases) expect(value(parseWorkerMessage(message))).toStrictEqual(message);
    // A null error (msgpack turns undefined into nil) reads as absent.
    expect(value(parseWorkerMessage({ command: 'algorithmExecutionDone', data: { execId: '1', response: 5, error: null } }))).toStrictEqual({
      command: 'algorithmExecutionDone',
      data: { execId: '1', response: 5, error: null },
    });
    expect(value(parseWorkerMessage({ command: 'algorithmExecutionError', data: { execId: '1', error: null, response: 'x' } }))).toStrictEqual({
      command: 'algorithmExecutionError',
      data: { execId: '1', response: 'x' },
    });
  });

  it('relay-only messages', () => {
    const streaming: WorkerMessage = { command: 'streamingInMessage', data: { payload: { a: 1 }, origin: 'A', sendMessageId: 'm-1' } };
    expect(value(parseWorkerMessage(streaming))).toStrictEqual(streaming);
    const numeric: WorkerMessage = { command: 'streamingInMessage', data: { payload: null, origin: 'A', sendMessageId: 7 } };
    expect(value(parseWorkerMessage(numeric))).toStrictEqual(numeric);
    const connected: WorkerMessage = { command: 'alreadyConnectedError', data: { hostname: 'laptop' } };
    expect(value(parseWorkerMessage(connected))).toStrictEqual(connected);
    // Lenient: the command is the signal, whatever the payload.
    expect(value(parseWorkerMessage({ command: 'alreadyConnectedError' }))).toStrictEqual({ command: 'alreadyConnectedError', data: {} });
    expect(value(parseWorkerMessage({ command: 'alreadyConnectedError', data: { hostname: ['a', 'b'] } }))).toStrictEqual({
      command: 'alreadyConnectedError',
      data: {},
    });
  });

  it('keeps unknown top-level fields and does not mutate the input', () => {
    const input = Object.freeze({ command: 'stop', data: Object.freeze({ forceStop: true, extra: 1 }), trace: 'x' });
    expect(value(parseWorkerMessage(input))).toStrictEqual({ command: 'stop', data: { forceStop: true, extra: 1 }, trace: 'x' });
  });

  it('accepts objects without a prototype (and keys such as __proto__ stay plain keys)', () => {
    const data = Object.assign(Object.create(null) as Record<string, unknown>, { execId: '9', response: 1 });
    const message = Object.assign(Object.create(null) as Record<string, unknown>, { command: 'algorithmExecutionDone', data });
    expect(value(parseWorkerMessage(message))).toStrictEqual({ command: 'algorithmExecutionDone', data: { execId: '9', response: 1 } });
    const parsed = JSON.parse('{"command":"initialize","data":{"jobId":"j","taskId":"t","nodeName":"n","algorithmName":"a","storage":{"__proto__":{"storageInfo":{"path":"p"}}}}}') as unknown;
    const result = value(parseWorkerMessage(parsed));
    expect(result.command === 'initialize' && Object.keys(result.data.storage)).toStrictEqual(['__proto__']);
    expect(result.command === 'initialize' && Object.getPrototypeOf(result.data.storage)).toBe(Object.prototype);
  });
});

describe('parseWorkerMessage: envelope errors', () => {
  it.each([null, undefined, 0, 'initialize', true, [], [{ command: 'stop' }], new Map(), new Date(), Buffer.from('{}')])(
    'rejects %s as not a message',
    (input) => {
      const error = invalid(input);
      expect(error.path).toBe('');
      expect(error.command).toBeUndefined();
    },
  );

  it('rejects a missing or non-string command', () => {
    for (const input of [{}, { data: {} }, { command: 1 }, { command: null }, { command: ['start'] }]) {
      const error = invalid(input);
      expect(error.path).toBe('command');
    }
  });

  it('reports unknown commands, including A→W names and prototype names', () => {
    for (const command of ['initialized', 'done', 'cleanup', 'toString', '__proto__', 'constructor', '']) {
      const result = parseWorkerMessage({ command });
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.error).toBeInstanceOf(UnknownCommandError);
      expect((result.error as UnknownCommandError).command).toBe(command);
    }
  });
});

describe('parseWorkerMessage: shape violations name the field', () => {
  const base = { jobId: 'j', taskId: 't', nodeName: 'n', algorithmName: 'a' };
  const cases: [string, unknown, string][] = [
    ['initialize without data', { command: 'initialize' }, 'data'],
    ['initialize with array data', { command: 'initialize', data: [] }, 'data'],
    ['missing jobId', { command: 'initialize', data: { ...base, jobId: undefined } }, 'data.jobId'],
    ['empty taskId', { command: 'initialize', data: { ...base, taskId: '' } }, 'data.taskId'],
    ['numeric nodeName', { command: 'initialize', data: { ...base, nodeName: 5 } }, 'data.nodeName'],
    ['missing algorithmName', { command: 'initialize', data: { ...base, algorithmName: null } }, 'data.algorithmName'],
    ['input not an array', { command: 'initialize', data: { ...base, input: { 0: 1 } } }, 'data.input'],
    ['storage an array', { command: 'initialize', data: { ...base, storage: [] } }, 'data.storage'],
    ['storage link not an object', { command: 'initialize', data: { ...base, storage: { k: 'x' } } }, 'data.storage.k'],
    ['storage link without path', { command: 'initialize', data: { ...base, storage: { k: { storageInfo: {} } } } }, 'data.storage.k.storageInfo.path'],
    ['storage link array element', { command: 'initialize', data: { ...base, storage: { k: [{ storageInfo: { path: 'p' } }, 3] } } }, 'data.storage.k.1'],
    ['grouped link with bad tasks', { command: 'initialize', data: { ...base, storage: { k: { discovery: { host: 'h', port: 1 }, tasks: [1] } } } }, 'data.storage.k.tasks.0'],
    ['grouped link with bad port', { command: 'initialize', data: { ...base, storage: { k: { discovery: { host: 'h', port: 'x' }, tasks: [] } } } }, 'data.storage.k.discovery.port'],
    ['flatInput an array', { command: 'initialize', data: { ...base, flatInput: [] } }, 'data.flatInput'],
    ['spanId a string', { command: 'initialize', data: { ...base, spanId: 'abc' } }, 'data.spanId'],
    ['unknown kind', { command: 'initialize', data: { ...base, kind: 'batchy' } }, 'data.kind'],
    ['unknown stateType', { command: 'initialize', data: { ...base, stateType: 1 } }, 'data.stateType'],
    ['batchIndex a string', { command: 'initialize', data: { ...base, batchIndex: '1' } }, 'data.batchIndex'],
    ['childs with a number', { command: 'initialize', data: { ...base, childs: ['a', 2] } }, 'data.childs.1'],
    ['savePaths not strings', { command: 'initialize', data: { ...base, info: { savePaths: [null] } } }, 'data.info.savePaths.0'],
    ['retry without policy', { command: 'initialize', data: { ...base, retry: {} } }, 'data.retry.policy'],
    ['parsedFlow bad step', { command: 'initialize', data: { ...base, parsedFlow: { main: [{ source: 'A', next: 'B' }] } } }, 'data.parsedFlow.main.0.next'],
    ['start data a string', { command: 'start', data: 'x' }, 'data'],
    ['start spanId a number', { command: 'start', data: { spanId: 1 } }, 'data.spanId'],
    ['stop forceStop a string', { command: 'stop', data: { forceStop: 'true' } }, 'data.forceStop'],
    ['stop data a boolean', { command: 'stop', data: true }, 'data'],
    ['exit exitCode a string', { command: 'exit', data: { exitCode: '0' } }, 'data.exitCode'],
    ['discovery not an array', { command: 'serviceDiscoveryUpdate', data: { nodeName: 'A' } }, 'data'],
    ['discovery without data', { command: 'serviceDiscoveryUpdate' }, 'data'],
    ['discovery bad type', { command: 'serviceDiscoveryUpdate', data: [{ nodeName: 'A', address: { host: 'h', port: 1 }, type: 'add' }] }, 'data.0.type'],
    ['discovery missing address', { command: 'serviceDiscoveryUpdate', data: [{ nodeName: 'A', type: 'Add' }] }, 'data.0.address'],
    ['discovery port out of range', { command: 'serviceDiscoveryUpdate', data: [{ nodeName: 'A', address: { host: 'h', port: 70000 }, type: 'Add' }] }, 'data.0.address.port'],
    ['discovery sparse array', { command: 'serviceDiscoveryUpdate', data: new Array(1) }, 'data.0'],
    ['subPipelineDone without id', { command: 'subPipelineDone', data: { response: 1 } }, 'data.subPipelineId'],
    ['subPipelineError numeric id', { command: 'subPipelineError', data: { subPipelineId: 1, error: 'x' } }, 'data.subPipelineId'],
    ['subPipelineError error object', { command: 'subPipelineError', data: { subPipelineId: '1', error: { message: 'x' } } }, 'data.error'],
    ['subPipelineStarted without data', { command: 'subPipelineStarted' }, 'data'],
    ['subPipelineStopped empty id', { command: 'subPipelineStopped', data: { subPipelineId: '' } }, 'data.subPipelineId'],
    ['algorithmExecutionDone without execId', { command: 'algorithmExecutionDone', data: { response: 1 } }, 'data.execId'],
    ['algorithmExecutionError numeric execId', { command: 'algorithmExecutionError', data: { execId: 1, error: 'x' } }, 'data.execId'],
    ['dataSourceResponse without requestId', { command: 'dataSourceResponse', data: { response: {} } }, 'data.requestId'],
    ['dataSourceResponse error number', { command: 'dataSourceResponse', data: { requestId: 'r', error: 5 } }, 'data.error'],
    ['streamingInMessage without origin', { command: 'streamingInMessage', data: { payload: 1, sendMessageId: 'm' } }, 'data.origin'],
    ['streamingInMessage without id', { command: 'streamingInMessage', data: { payload: 1, origin: 'A' } }, 'data.sendMessageId'],
  ];

  it.each(cases)('%s', (_name, input, path) => {
    const error = invalid(input);
    expect(error.path).toBe(path);
    expect(error.command).toBe((input as { command: string }).command);
    expect(error.message).toContain(path);
  });

  // Every typed optional field of `initialize`: a good value passes, a value of another type (and NaN
  // for numbers) is a violation naming exactly that field.
  const typedFields: [string, unknown, unknown[]][] = [
    ['pipelineName', 'p', [1, true, {}]],
    ['defaultFlow', 'main', [1, []]],
    ['status', 'creating', [false, 2]],
    ['execId', 'e-1', ['', 3]],
    ['parentNodeName', 'parent', [{}, 1]],
    ['batchIndex', 2, ['2', NaN]],
    ['ttl', 30, ['30', true, NaN]],
    ['priority', 3, ['high', NaN]],
    ['entranceTime', 1_700_000_000_000, ['now', NaN]],
    ['attempts', 0, ['0', NaN]],
    ['useCache', false, ['false', 0]],
    ['isScaled', true, [1, 'yes']],
    ['kind', 'stream', ['streaming', 1]],
    ['stateType', 'stateful', ['stateles', true]],
    ['parents', ['a'], ['a', [1]]],
    ['metrics', { a: 1 }, ['m', [1]]],
    ['retry', { policy: 'Always' }, ['Always', { policy: 'Sometimes' }]],
  ];

  it.each(typedFields)('initialize %s: accepted when well-typed, a violation naming it otherwise', (field, good, bads) => {
    const accepted = parseWorkerMessage({ command: 'initialize', data: { ...base, [field]: good } });
    expect(accepted.ok && accepted.value.command === 'initialize' && (accepted.value.data as unknown as Record<string, unknown>)[field]).toStrictEqual(good);
    for (const bad of bads) expect(invalid({ command: 'initialize', data: { ...base, [field]: bad } }).path).toMatch(new RegExp(`^data\\.${field}(\\.|$)`));
  });

  it('error messages read well', () => {
    expect(invalid({ command: 'stop', data: { forceStop: 'yes' } }).message).toBe("'stop': data.forceStop must be a boolean (got string)");
    expect(invalid({ command: 'initialize', data: { ...base, jobId: undefined } }).message).toBe(
      "'initialize': data.jobId must be a non-empty string (got missing)",
    );
    expect(invalid(null).message).toBe("frame: message must be an object with a string 'command' (got null)");
  });
});
