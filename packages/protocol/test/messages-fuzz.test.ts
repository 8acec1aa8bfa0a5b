import { describe, expect, it } from 'vitest';
import { InvalidMessageError, ProtocolError, type DecodeResult } from '../src/errors/index.js';
import {
  ALGORITHM_COMMANDS, WORKER_COMMANDS, isAlgorithmCommand, isWorkerCommand, parseAlgorithmMessage, parseWorkerMessage,
} from '../src/messages/index.js';

// Property-style robustness checks: whatever the input, the parsers return a DecodeResult and never
// throw, hang or mutate their input.

/** mulberry32: a small seeded PRNG, so failures are reproducible. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALL_COMMANDS = [...Object.values(WORKER_COMMANDS), ...Object.values(ALGORITHM_COMMANDS)];
const ODD_COMMANDS = ['', 'cleanup', 'exited', 'error', '__proto__', 'constructor', 'toString', 'INITIALIZE', 'done '];
const ODD_KEYS = ['command', 'data', 'error', 'execId', 'subPipelineId', 'requestId', 'storageInfo', 'path', 'storage', 'input', '__proto__', 'constructor', ''];

/** Valid payload templates per command, mutated by the generator to reach the deeper checks. */
const TEMPLATES: Record<string, unknown> = {
  initialize: {
    jobId: 'j', taskId: 't', nodeName: 'n', algorithmName: 'a', input: ['$$k', 1], flatInput: { '0': '$$k', '1': 1 },
    storage: { k: { storageInfo: { path: 'p', size: 1 }, path: '', discovery: { host: 'h', port: 9020 }, taskId: 'x' }, g: [{ discovery: { host: 'h', port: '1' }, tasks: ['a'], path: '' }] },
    info: { savePaths: ['n.x'] }, kind: 'stream', stateType: 'stateless', childs: ['c'], parents: ['p'], retry: { policy: 'Never' },
    parsedFlow: { main: [{ source: 'A', next: ['B'] }] }, spanId: { 'uber-trace-id': 'x' },
  },
  start: { spanId: { 'uber-trace-id': 'x' } },
  stop: { forceStop: true },
  exit: { exitCode: 0 },
  serviceDiscoveryUpdate: [{ nodeName: 'A', address: { host: 'h', port: 9022 }, type: 'Add' }],
  subPipelineStarted: { subPipelineId: '1' },
  subPipelineDone: { subPipelineId: '1', response: [] },
  subPipelineError: { subPipelineId: '1', error: 'x' },
  subPipelineStopped: { subPipelineId: '1', reason: 'r' },
  algorithmExecutionDone: { execId: '1', response: {} },
  algorithmExecutionError: { execId: '1', error: 'x' },
  dataSourceResponse: { requestId: 'r', response: {} },
  streamingInMessage: { payload: 1, origin: 'A', sendMessageId: 'm' },
  alreadyConnectedError: { hostname: 'h' },
  storing: { storageInfo: { path: 'p', size: 1 }, metadata: { 'a.b': { type: 'array', size: 2 } }, discovery: { host: 'h', port: 1 }, taskId: 't' },
  progress: { progress: 1 },
  servingStatus: true,
  streamingStatistics: [{ nodeName: 'B', sent: 1, queueSize: 0, responses: 1, dropped: 0, netDurations: [1], durations: [1], queueDurations: [1] }],
  dataSourceRequest: { requestId: 'r', dataSource: { dataSourceId: 'd' } },
  startAlgorithmExecution: { execId: '1', algorithmName: 'a', input: [], storageInput: ['$$k'], storage: { k: { storageInfo: { path: 'p' } } }, includeResult: true },
  stopAlgorithmExecution: { execId: '1', reason: 'r' },
  startRawSubPipeline: { subPipelineId: '1', subPipeline: { name: 'n', nodes: [] }, includeResult: true },
  startStoredSubPipeline: { subPipelineId: '1', subPipeline: { name: 'n' } },
  stopSubPipeline: { subPipelineId: '1' },
  startSpan: { name: 's', tags: {} },
  finishSpan: { tags: {} },
  logData: ['a', 'b'],
  streamingOutMessage: { message: 1, flowName: 'f', sendMessageId: null },
  streamingInMessageDone: { sendMessageId: 'm' },
};

function generator(seed: number) {
  const random = prng(seed);
  const int = (n: number): number => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;

  const primitives = (): unknown =>
    pick<() => unknown>([
      () => undefined,
      () => null,
      () => random() < 0.5,
      () => int(100_000) - 50_000,
      () => random() * 1e12,
      () => pick([Number.NaN, Infinity, -Infinity, -0, Number.MAX_SAFE_INTEGER, 1e300]),
      () => pick(['', 'x', '$$k', '1', 'Add', 'Del', 'true', '9020', 'batch', 'stream', 'Failed', ...ODD_COMMANDS]),
      () => String.fromCharCode(...Array.from({ length: int(12) }, () => int(0xffff))),
      () => BigInt(int(1000)),
      () => Symbol('s'),
    ])();

  const tree = (depth: number): unknown => {
    const roll = random();
    if (depth <= 0 || roll < 0.45) return primitives();
    if (roll < 0.65) return Array.from({ length: int(5) }, () => tree(depth - 1));
    if (roll < 0.9) {
      const object: Record<string, unknown> = random() < 0.2 ? (Object.create(null) as Record<string, unknown>) : {};
      for (let i = int(6); i > 0; i--) {
        const key = random() < 0.6 ? pick(ODD_KEYS) : `k${int(20)}`;
        // Assignment to `__proto__` sets the prototype (hostile); defineProperty makes an own key, as JSON.parse does.
        if (random() < 0.5) object[key] = tree(depth - 1);
        else Object.defineProperty(object, key, { value: tree(depth - 1), enumerable: true, writable: true, configurable: true });
      }
      return object;
    }
    return pick<() => unknown>([() => new Date(0), () => new Map([[1, 2]]), () => Buffer.from('ab'), () => new Uint8Array(3), () => /re/])();
  };

  /** A deep copy of `template` with one random node replaced or removed. */
  const mutate = (template: unknown): unknown => {
    const copy = structuredClone(template);
    let node: unknown = copy;
    for (let steps = int(4); steps >= 0; steps--) {
      if (typeof node !== 'object' || node === null) break;
      const record = node as Record<string, unknown>;
      const keys = Object.keys(record);
      if (keys.length === 0) break;
      const key = pick(keys);
      if (steps === 0 || typeof record[key] !== 'object' || record[key] === null) {
        if (random() < 0.3) delete record[key];
        else record[key] = tree(2);
        break;
      }
      node = record[key];
    }
    return copy;
  };

  const message = (): unknown => {
    const command = random() < 0.9 ? pick(ALL_COMMANDS) : random() < 0.5 ? pick(ODD_COMMANDS) : primitives();
    const template = typeof command === 'string' && Object.hasOwn(TEMPLATES, command) ? TEMPLATES[command] : undefined;
    const result: Record<string, unknown> = { command };
    const roll = random();
    if (roll < 0.45 && template !== undefined) result.data = mutate(template);
    else if (roll < 0.6 && template !== undefined) result.data = structuredClone(template);
    else if (roll < 0.9) result.data = tree(3);
    if (random() < 0.15) result.error = random() < 0.5 ? { code: tree(1), message: tree(1) } : tree(2);
    if (random() < 0.1) result[pick(ODD_KEYS)] = tree(2);
    return result;
  };

  return () => (random() < 0.7 ? message() : tree(4));
}

function expectResult(result: DecodeResult<{ command: string }>, isKnown: (name: string) => boolean): void {
  expect(typeof result.ok).toBe('boolean');
  if (result.ok) {
    expect(typeof result.value).toBe('object');
    expect(isKnown(result.value.command)).toBe(true);
  } else {
    expect(result.error).toBeInstanceOf(ProtocolError);
    expect(typeof result.error.message).toBe('string');
  }
}

/** Serialises for the "not mutated" check; BigInt, symbols and binary are made comparable. */
function snapshot(input: unknown): string {
  const seen = new WeakSet();
  try {
    return serialise(input, seen);
  } catch {
    return 'unserialisable'; // e.g. an object whose prototype is a Buffer: its inherited toJSON throws
  }
}

function serialise(input: unknown, seen: WeakSet<object>): string {
  return JSON.stringify(input, (_key, item: unknown) => {
    if (typeof item === 'bigint') return `bigint:${item}`;
    if (typeof item === 'symbol') return 'symbol';
    if (typeof item === 'number' && !Number.isFinite(item)) return `number:${item}`;
    if (item === undefined) return 'undefined';
    if (typeof item === 'object' && item !== null) {
      if (seen.has(item)) return 'cycle';
      seen.add(item);
    }
    return item;
  });
}

describe('message parsers: random input', () => {
  it('10,000 random values: never throw, always ok or a ProtocolError, never mutate the input', () => {
    const next = generator(0x5eed);
    let accepted = 0;
    for (let i = 0; i < 10_000; i++) {
      const input = next();
      const before = snapshot(input);
      expectResult(parseWorkerMessage(input), isWorkerCommand);
      expectResult(parseAlgorithmMessage(input), isAlgorithmCommand);
      expect(snapshot(input)).toBe(before);
      if (parseWorkerMessage(input).ok || parseAlgorithmMessage(input).ok) accepted++;
    }
    // The generator must reach the deep checks, not only fail at the envelope.
    expect(accepted).toBeGreaterThan(1000);
  });

  it('valid templates are accepted in their own direction', () => {
    for (const [command, data] of Object.entries(TEMPLATES)) {
      const parse = isWorkerCommand(command) ? parseWorkerMessage : parseAlgorithmMessage;
      const result = parse({ command, data });
      expect(result.ok, `${command}: ${result.ok ? '' : result.error.message}`).toBe(true);
    }
  });
});

describe('message parsers: hostile input', () => {
  const parsers = [parseWorkerMessage, parseAlgorithmMessage];

  function throwingGetter(key: string, target: Record<string, unknown> = {}): Record<string, unknown> {
    return Object.defineProperty({ ...target }, key, {
      enumerable: true,
      get() {
        throw new Error(`getter ${key}`);
      },
    });
  }

  function hostileProxy(trap: keyof ProxyHandler<object>, target: object = { command: 'stop', data: {} }): object {
    return new Proxy(target, {
      [trap]: () => {
        throw new Error(`trap ${trap}`);
      },
    });
  }

  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const circular: Record<string, unknown> = { command: 'done' };
  circular.data = circular;
  circular.self = circular;
  const circularInit: Record<string, unknown> = { jobId: 'j', taskId: 't', nodeName: 'n', algorithmName: 'a' };
  circularInit.input = [circularInit];
  circularInit.info = { extraData: circularInit };

  const cases: [string, unknown][] = [
    ['throwing command getter', throwingGetter('command')],
    ['throwing data getter', throwingGetter('data', { command: 'stop' })],
    ['throwing nested getter', { command: 'algorithmExecutionDone', data: throwingGetter('execId') }],
    ['throwing storage link getter', { command: 'initialize', data: { jobId: 'j', taskId: 't', nodeName: 'n', algorithmName: 'a', storage: { k: throwingGetter('storageInfo') } } }],
    ['throwing getter in user data (not read)', { command: 'done', data: throwingGetter('x') }],
    ['proxy: get', hostileProxy('get')],
    ['proxy: ownKeys', hostileProxy('ownKeys')],
    ['proxy: getPrototypeOf', hostileProxy('getPrototypeOf')],
    ['proxy: getOwnPropertyDescriptor', hostileProxy('getOwnPropertyDescriptor')],
    ['proxy as data', { command: 'storing', data: hostileProxy('get', {}) }],
    ['proxy as array data', { command: 'logData', data: hostileProxy('get', []) }],
    ['revoked proxy', revoked.proxy],
    ['revoked proxy as data', { command: 'serviceDiscoveryUpdate', data: revoked.proxy }],
    ['getter throwing a proxy that throws on inspection', throwingGetterOf(hostileProxy('getPrototypeOf', {}))],
    ['circular message', circular],
    ['circular initialize payload', { command: 'initialize', data: circularInit }],
    ['function', () => ({ command: 'done' })],
    ['class instance', new (class Message { command = 'done'; })()],
    ['inherited command', Object.create({ command: 'done' }) as unknown],
  ];

  function throwingGetterOf(thrown: unknown): object {
    return Object.defineProperty({}, 'command', {
      enumerable: true,
      get() {
        throw thrown;
      },
    });
  }

  it.each(cases)('%s', (_name, input) => {
    for (const parse of parsers) {
      let result: DecodeResult<unknown> | undefined;
      expect(() => {
        result = parse(input);
      }).not.toThrow();
      expect(result).toBeDefined();
      if (result && !result.ok) expect(result.error).toBeInstanceOf(ProtocolError);
    }
  });

  it('a throwing getter is reported as InvalidMessageError with the cause', () => {
    const result = parseWorkerMessage({ command: 'algorithmExecutionDone', data: throwingGetter('execId') });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(InvalidMessageError);
    expect((result.error as InvalidMessageError).command).toBe('algorithmExecutionDone');
    expect(result.error.cause).toBeInstanceOf(Error);
  });

  it('huge nesting and huge arrays in user data are not walked', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = { next: deep };
    const input = new Array<unknown>(1_000_000).fill(deep);
    const started = performance.now();
    const result = parseWorkerMessage({ command: 'initialize', data: { jobId: 'j', taskId: 't', nodeName: 'n', algorithmName: 'a', input, flatInput: null } });
    expect(result.ok).toBe(true);
    expect(parseAlgorithmMessage({ command: 'done', data: input }).ok).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('typical start/done messages are cheap', () => {
    const start = { command: 'start', data: { spanId: { 'uber-trace-id': 'a:b:c:1' } } };
    const done = { command: 'done', data: { result: [1, 2, 3] } };
    const started = performance.now();
    for (let i = 0; i < 100_000; i++) {
      parseWorkerMessage(start);
      parseAlgorithmMessage(done);
    }
    // ~1 µs each on a laptop; the bound only catches accidental deep walks or quadratic work.
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
