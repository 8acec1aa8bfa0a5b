import { describe, expect, it } from 'vitest';
import { PipelineValidationError, validatePipeline } from '../../src/engine/index.js';
import { invalid, node, valid } from './helpers.js';

const pipeline = (nodes: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({ name: 'pipeline', nodes, ...extra });

describe('DAG validation messages (§7.2 B)', () => {
  it('a stateful node in a batch pipeline', () => {
    expect(invalid(pipeline([node('A', ['data'], { stateType: 'stateful' })]))).toBe('stateful node "A" is not allowed on batch pipeline');
  });

  it('B1: kind algorithm without algorithmName', () => {
    expect(invalid(pipeline([{ nodeName: 'A', input: [] }]))).toBe('please provide algorithm name');
  });

  it('B2: kind pipeline without spec.name', () => {
    expect(invalid(pipeline([{ nodeName: 'A', kind: 'pipeline', input: [] }]))).toBe('please provide pipeline name');
    expect(invalid(pipeline([{ nodeName: 'A', kind: 'pipeline', spec: {} }]))).toBe('please provide pipeline name');
    valid(pipeline([{ nodeName: 'A', kind: 'pipeline', spec: { name: 'stored' } }]));
  });

  it('B3: duplicate node', () => {
    expect(invalid(pipeline([node('A'), node('A')]))).toBe('found duplicate node "A"');
  });

  it.each(['flowInput', 'dataSource'])('B4: reserved name %s', (name) => {
    expect(invalid(pipeline([node(name)]))).toBe(`pipeline "pipeline" has invalid reserved name "${name}"`);
  });

  it('B5: reference to a missing node', () => {
    expect(invalid(pipeline([node('A', ['@NOOP'])]))).toBe('node "A" is depend on node "NOOP" which is not exists');
    expect(invalid(pipeline([node('A', [{ deep: ['#@NOOP.x'] }])]))).toBe('node "A" is depend on node "NOOP" which is not exists');
  });

  it('B6: output node with a child', () => {
    expect(invalid(pipeline([node('A'), { nodeName: 'B', kind: 'output', input: ['@A'] }, node('C', ['@B'])]))).toBe('node "B" should not have child nodes');
  });

  it('B7: output node without parents', () => {
    expect(invalid(pipeline([node('A'), { nodeName: 'B', kind: 'output', input: [] }]))).toBe('node "B" should have parent nodes');
  });

  it('B8: output node in a stream pipeline', () => {
    const descriptor = pipeline([node('A', [], { stateType: 'stateful' }), { nodeName: 'B', kind: 'output', input: [] }], {
      kind: 'stream',
      streaming: { flows: { main: 'A >> B' } },
    });
    expect(invalid(descriptor)).toBe('node "B" from kind output can not be used in a streaming pipeline');
  });

  it('B9: missing flowInput path; null counts as existing', () => {
    expect(invalid(pipeline([node('A', ['@flowInput.noop'])], { flowInput: { x: 1 } }))).toBe('unable to find flowInput.noop');
    expect(invalid(pipeline([node('A', ['@flowInput.noop'])]))).toBe('unable to find flowInput.noop');
    valid(pipeline([node('A', ['@flowInput.inputs'])], { flowInput: { inputs: null } }));
    expect(validatePipeline(pipeline([node('A', ['@flowInput.noop'])]), { checkFlowInput: false }).ok).toBe(true);
  });

  it('B10: cycles', () => {
    expect(invalid(pipeline([node('A', ['@B']), node('B', ['@A'])]))).toBe('cyclic nodes are not allowed on batch pipeline');
    expect(invalid(pipeline([node('A', ['@A'])]))).toBe('cyclic nodes are not allowed on batch pipeline');
    expect(invalid(pipeline([node('A'), node('B', ['@A'])], { edges: [{ source: 'B', target: 'A' }] }))).toBe('cyclic nodes are not allowed on batch pipeline');
  });

  it('B11: node references in a stream pipeline (flowInput is fine)', () => {
    const streaming = { flows: { main: 'A >> B' } };
    const nodes = [node('A', ['@flowInput.x'], { stateType: 'stateful' }), node('B', ['@A'], { stateType: 'stateless' })];
    expect(invalid(pipeline(nodes, { kind: 'stream', streaming, flowInput: { x: 1 } }))).toBe(
      'the "@" sign is not allowed in "stream" pipeline, please use the "streaming.flows" property instead',
    );
  });

  it('B12: no nodes', () => {
    expect(invalid(pipeline([]))).toBe('pipeline must have at least one node');
    expect(invalid({ name: 'pipeline' })).toBe('pipeline must have at least one node');
  });

  it('B13: two output nodes', () => {
    const output = (name: string): Record<string, unknown> => ({ nodeName: name, kind: 'output', input: ['@A'] });
    expect(invalid(pipeline([node('A'), output('B'), output('C')]))).toBe('pipeline can not have more than one output');
  });

  it('B14: debugOverride naming a missing node', () => {
    expect(invalid(pipeline([node('A')], { options: { debugOverride: ['x'] } }))).toBe('debugOverride node not in nodes list');
    expect(valid(pipeline([node('A')], { options: { debugOverride: ['A'] } })).nodes[0]!.kind).toBe('debug');
  });

  it.each([
    [-2, 'batchTolerance should be >= 0'],
    [101, 'batchTolerance should be <= 100'],
    [20.6, 'batchTolerance should be integer'],
    ['twenty', 'batchTolerance should be integer'],
  ])('B15: batchTolerance %s', (batchTolerance, message) => {
    expect(invalid(pipeline([node('A')], { options: { batchTolerance } }))).toContain(message);
  });

  it('B15: a numeric string is coerced, as ajv does', () => {
    expect(valid(pipeline([node('A')], { options: { batchTolerance: '20' } })).options.batchTolerance).toBe(20);
  });

  it.each(['exec/raw', 'exec*raw', 'exec#raw', 'exec"raw', 'exec%raw', '/xecraw'])('B16: pipeline name %s', (name) => {
    expect(invalid({ name, nodes: [node('A')] })).toBe('pipeline name must contain only alphanumeric, dash, dot or underscore');
  });

  it('B17: *@X on a non-batch node, *#@, *@flowInput', () => {
    expect(invalid(pipeline([node('A'), node('B', ['*@A'])]))).toMatch(/^node "B" input "\*@A": .*node "A" is not a batch node/);
    expect(invalid(pipeline([node('A', ['#[1,2]']), node('B', ['*#@A'])]))).toMatch(/^node "B" input "\*#@A": .*not supported/);
    expect(invalid(pipeline([node('B', ['*@flowInput.x'])], { flowInput: { x: [1] } }))).toMatch(/^node "B" input "\*@flowInput.x"/);
    valid(pipeline([node('A', ['#[1,2]']), node('B', ['*@A']), node('C', ['*@B'])]));
  });

  it('rejects dataSource references (out of scope)', () => {
    expect(invalid(pipeline([node('A', ['@dataSource.d/f'])]))).toMatch(/dataSource references are not supported/);
  });

  it('reports the node involved', () => {
    const checked = validatePipeline(pipeline([node('A', ['@NOOP'])]));
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.error).toBeInstanceOf(PipelineValidationError);
    expect(checked.error.code).toBe('PIPELINE_INVALID');
    expect(checked.error.nodeName).toBe('A');
    expect(checked.error.pipelineName).toBe('pipeline');
  });
});

describe('schema checks (ajv messages)', () => {
  it.each([
    [{}, "data should have required property 'name'"],
    [null, "data should have required property 'name'"],
    ['text', 'data should be object'],
    [[], 'data should be object'],
    [{ name: {} }, 'data.name should be string'],
    [{ name: '' }, 'data.name should NOT be shorter than 1 characters'],
    [{ name: 'p', nodes: [{ algorithmName: 'green-alg', input: [{}] }] }, "data.nodes[0] should have required property 'nodeName'"],
    [{ name: 'p', nodes: [node('A')], priority: 8 }, 'data.priority should be <= 5'],
    [{ name: 'p', nodes: [node('A')], kind: 'weird' }, 'data.kind should be equal to one of the allowed values (batch,stream)'],
    [
      { name: 'p', nodes: [{ nodeName: 'A', kind: 'x' }] },
      'data.nodes[0].kind should be equal to one of the allowed values (algorithm,pipeline,debug,dataSource,gateway,output,hyperparamsTuner)',
    ],
    [{ name: 'p', nodes: [{ nodeName: 'A', algorithmName: 'A' }] }, 'algorithm name must contain only lower-case alphanumeric, dash or dot'],
    [{ name: 'p', nodes: [{ nodeName: 'A', algorithmName: 'green-alg', input: null }] }, 'data.nodes[0].input should be array'],
    [{ name: 'p', nodes: [node('A', [], { ttl: -1 })] }, 'data.nodes[0].ttl should be >= 0'],
    [{ name: 'p', nodes: [node('A')], flowInput: [1] }, 'data.flowInput should be object'],
    [{ name: 'p', nodes: [node('A')], webhooks: { progress: 'nope' } }, 'data.webhooks.progress should match format "url"'],
    [{ name: 'p', nodes: [node('A')], webhooks: { stam: 'http://x' } }, 'data.webhooks should NOT have additional properties (stam)'],
    [{ name: 'p', nodes: [node('A')], options: { progressVerbosityLevel: 'loud' } }, 'data.options.progressVerbosityLevel should be equal to one of the allowed values (trace,debug,info,warning,error,critical)'],
  ])('%j', (descriptor, message) => {
    expect(invalid(descriptor)).toBe(message);
  });

  it('accepts unknown top-level properties and a null flowInput', () => {
    valid({ name: 'p', nodes: [node('A')], additionalProps: { bla: 60 }, flowInput: null });
  });

  it('never throws, even on a circular descriptor', () => {
    const descriptor: Record<string, unknown> = { name: 'p' };
    descriptor['self'] = descriptor;
    const checked = validatePipeline(descriptor);
    expect(checked.ok).toBe(false);
  });
});

describe('defaults (§1.1, §1.5)', () => {
  it('fills in the pipeline, option and node defaults', () => {
    const normalised = valid({ name: 'p', nodes: [{ nodeName: 'A', algorithmName: 'echo' }] });
    expect(normalised.kind).toBe('batch');
    expect(normalised.priority).toBe(3);
    expect(normalised.options).toEqual({ batchTolerance: 80, ttl: 3600, progressVerbosityLevel: 'info' });
    expect(normalised.nodes[0]).toMatchObject({ kind: 'algorithm', input: [], retry: { policy: 'OnCrash', limit: 3 } });
    expect(normalised.edges).toEqual([]);
  });

  it('does not modify the descriptor', () => {
    const descriptor = { name: 'p', nodes: [{ nodeName: 'A', algorithmName: 'echo' }], options: { batchTolerance: '20' } };
    valid(descriptor);
    expect(descriptor).toEqual({ name: 'p', nodes: [{ nodeName: 'A', algorithmName: 'echo' }], options: { batchTolerance: '20' } });
  });

  it('names the output and tuner algorithms after the pipeline (§5.1)', () => {
    const normalised = valid({
      name: 'outputPipe',
      nodes: [node('A'), { nodeName: 'out', kind: 'output', input: ['@A'] }],
    });
    expect(normalised.nodes[1]!.algorithmName).toBe('outputPipe-output');
  });

  it('warns about the singular includeInResult', () => {
    const checked = validatePipeline({ name: 'p', nodes: [node('A', [], { includeInResult: true })] });
    expect(checked.ok && checked.warnings).toEqual([expect.stringContaining('includeInResult')]);
  });
});

describe('algorithm existence', () => {
  const algorithmExists = (name: string): boolean => name === 'echo';

  it('reports a missing algorithm with HKube\'s message', () => {
    const checked = validatePipeline({ name: 'p', nodes: [node('A'), { nodeName: 'B', algorithmName: 'nope' }] }, { algorithmExists });
    expect(!checked.ok && checked.error.message).toBe('algorithm nope Not Found');
  });

  it('does not ask about output nodes', () => {
    const checked = validatePipeline({ name: 'p', nodes: [node('A'), { nodeName: 'B', kind: 'output', input: ['@A'] }] }, { algorithmExists });
    expect(checked.ok).toBe(true);
  });
});

describe('hyperparams tuner spec', () => {
  const tuner = (spec?: Record<string, unknown>): Record<string, unknown> => ({ name: 'p', nodes: [{ nodeName: 'T', kind: 'hyperparamsTuner', ...(spec ? { spec } : {}) }] });

  it('checks the spec', () => {
    expect(invalid(tuner())).toBe('Hyper params tuner node must have spec attribute');
    expect(invalid(tuner({ objectivePipeline: 'obj' }))).toBe("data should have required property 'numberOfTrials'");
    expect(invalid(tuner({ objectivePipeline: 'obj', numberOfTrials: 3 }))).toBe('spec must include hyperParams');
    expect(valid(tuner({ objectivePipeline: 'obj', numberOfTrials: 3, sampler: { name: 'Grid' } })).nodes[0]!.algorithmName).toBe('p-hyperparamstuner');
  });
});

describe('streaming flows (§1.6, F3–F5)', () => {
  const nodes = ['A', 'B', 'C', 'D', 'E'].map((name, i) => node(name, [], { stateType: i === 0 ? 'stateful' : 'stateless' }));
  const stream = (flows: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    name: 'streaming-flow',
    kind: 'stream',
    nodes,
    streaming: { flows, ...extra },
  });

  it.each([
    [{ analyze: 'A >> Z' }, 'invalid node Z in stream flow analyze'],
    [{ analyze: null }, 'invalid stream flow analyze'],
    [{ analyze: 'A' }, 'stream flow analyze should have valid flow, example: A >> B'],
    [{ analyze: 'A --> B' }, 'stream flow analyze should have valid flow, example: A >> B'],
    [{ analyze: 'A >>' }, 'invalid node name after A'],
    [{ analyze: 'A >> A' }, 'invalid relation found A >> A in flow analyze'],
    [{ analyze: 'A >> B >> C >> A >> B' }, 'duplicate relation found A >> B in flow analyze'],
    [{}, 'please specify a stream flow'],
    [{ a: 'A >> B', b: 'A >> C' }, 'please specify a default stream flow'],
  ])('F4: %j', (flows, message) => {
    expect(invalid(stream(flows))).toBe(message);
  });

  it('F4: flows in a batch pipeline, a stream without flows', () => {
    expect(invalid({ name: 'p', nodes: [node('A'), node('B')], streaming: { flows: { analyze: 'A --> B' } } })).toBe(
      'streaming flow is only allowed in stream pipeline',
    );
    expect(invalid({ name: 'p', kind: 'stream', nodes })).toBe('please specify a stream flow');
  });

  it('F3: parses the DOCS example into parsedFlow and customStream edges', () => {
    const descriptor = {
      name: 'twitter',
      kind: 'stream',
      nodes: [node('twitt', [], { stateType: 'stateful' }), node('sort', [], { stateType: 'stateful' }), node('A'), node('B')],
      streaming: { flows: { analyze: 'sort>>A', master: 'twitt >>sort>>B' }, defaultFlow: 'master' },
    };
    const normalised = valid(descriptor);
    expect(normalised.streaming?.parsedFlow).toEqual({
      analyze: [{ source: 'sort', next: ['A'] }],
      master: [
        { source: 'twitt', next: ['sort'] },
        { source: 'sort', next: ['B'] },
      ],
    });
    expect(normalised.streaming?.defaultFlow).toBe('master');
    expect(normalised.edges).toEqual([
      { source: 'sort', target: 'A', types: ['customStream'] },
      { source: 'twitt', target: 'sort', types: ['customStream'] },
      { source: 'sort', target: 'B', types: ['customStream'] },
    ]);
    expect(normalised.nodes.map((n) => n.retry.policy)).toEqual(['Always', 'Always', 'Never', 'Never']);
  });

  it('parses & and |, and accepts a revisiting flow', () => {
    const normalised = valid(stream({ main: 'A >> B&C | B >> D | D >> E' }));
    expect(normalised.streaming?.parsedFlow['main']).toEqual([
      { source: 'A', next: ['B', 'C'] },
      { source: 'B', next: ['D'] },
      { source: 'D', next: ['E'] },
    ]);
    expect(normalised.streaming?.defaultFlow).toBe('main');
    valid(stream({ main: 'A >> B >> C&D&E >> B >> A' }));
  });

  it('F5: five flows with a default give 12 unique edges', () => {
    const flows = {
      analyze0: 'A >> B >> C >> D >> B >> A',
      analyze1: 'A >> B&C | C >> D',
      analyze2: 'A >> B&C >> D',
      analyze3: 'A >> B >> C >> D >> A',
      analyze4: 'A >> B&C&D >> E',
    };
    const normalised = valid(stream(flows, { defaultFlow: 'analyze3' }));
    expect(normalised.edges).toHaveLength(12);
    expect(normalised.edges.every((edge) => edge.types?.[0] === 'customStream')).toBe(true);
    expect(Object.keys(normalised.streaming?.parsedFlow ?? {})).toEqual(Object.keys(flows));
  });

  it('rejects a stateless entry node and a stateless gateway; fills stateType from the algorithm', () => {
    const descriptor = { name: 's', kind: 'stream', nodes: [node('A'), node('B')], streaming: { flows: { main: 'A >> B' } } };
    expect(invalid(descriptor)).toBe('entry node "A" cannot be stateless on stream pipeline');
    const checked = validatePipeline(descriptor, { algorithmStateType: () => 'stateful' });
    expect(checked.ok && checked.pipeline.nodes.map((n) => n.stateType)).toEqual(['stateful', 'stateful']);
    const gateway = { ...descriptor, nodes: [node('A', [], { stateType: 'stateful' }), { nodeName: 'B', kind: 'gateway', stateType: 'stateless' }] };
    expect(invalid(gateway)).toBe('Gateway node B stateType must be "stateful". Got stateless');
  });

  it('checks the stateless counts', () => {
    const withCounts = (extra: Record<string, unknown>): Record<string, unknown> => ({
      ...stream({ main: 'A >> B' }),
      nodes: [node('A', [], { stateType: 'stateful' }), node('B', [], extra)],
    });
    expect(invalid(withCounts({ stateType: 'stateful', minStatelessCount: 2 }))).toBe(
      'Nodes which are not stateType=stateless cant have minStatelessCount or maxStatelessCount',
    );
    expect(invalid(withCounts({ stateType: 'stateless', minStatelessCount: 3, maxStatelessCount: 2 }))).toBe(
      'maxStatelessCount must be greater or equal to minStatelessCount',
    );
    valid(withCounts({ stateType: 'stateless', minStatelessCount: 1, maxStatelessCount: 2 }));
  });
});

describe('garbage in', () => {
  // A small deterministic generator of arbitrary JSON-like values, biased towards descriptor shapes.
  function* values(seed: number, count: number): Generator<unknown> {
    let state = seed;
    const next = (): number => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
    const leaf = (): unknown => [null, true, 0, -1, 2.5, '', 'A', '@A', '#@A', '*@A', '#[1...3]', '@flowInput.x', [], {}][Math.floor(next() * 14)];
    const value = (depth: number): unknown => {
      if (depth > 3 || next() < 0.3) return leaf();
      if (next() < 0.5) return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
      const keys = ['name', 'nodes', 'nodeName', 'algorithmName', 'input', 'kind', 'options', 'batchTolerance', 'edges', 'streaming', 'flows', 'x'];
      return Object.fromEntries(Array.from({ length: Math.floor(next() * 5) }, () => [keys[Math.floor(next() * keys.length)]!, value(depth + 1)]));
    };
    for (let i = 0; i < count; i += 1) yield value(0);
  }

  it('never throws and always answers with a result', () => {
    for (const descriptor of values(7, 2000)) {
      const checked = validatePipeline(descriptor);
      expect(typeof checked.ok).toBe('boolean');
      if (!checked.ok) expect(checked.error).toBeInstanceOf(PipelineValidationError);
    }
  });
});

describe('debug nodes of stream pipelines', () => {
  const stream = (mid: Record<string, unknown>, options: Record<string, unknown> = {}): ReturnType<typeof validatePipeline> =>
    validatePipeline({ name: 's', kind: 'stream', nodes: [node('A', [], { stateType: 'stateful' }), node('B', [], { stateType: 'stateless', ...mid })], streaming: { flows: { main: 'A >> B' } }, options });

  it('warns that stateless counts above 1 are capped at one replica, whether kind or debugOverride makes the node a debug node', () => {
    expect(stream({ kind: 'debug', minStatelessCount: 3 })).toMatchObject({ ok: true, warnings: ['node "B" is a debug node, which runs one replica at most: "minStatelessCount": 3 is capped at 1'] });
    expect(stream({ minStatelessCount: 2, maxStatelessCount: 4 }, { debugOverride: ['B'] })).toMatchObject({
      ok: true,
      warnings: ['node "B" is a debug node, which runs one replica at most: "minStatelessCount": 2 and "maxStatelessCount": 4 are capped at 1'],
    });
  });

  it('has no warning for counts of 1 at most, nor for an ordinary node\u2019s counts', () => {
    expect(stream({ kind: 'debug', minStatelessCount: 1, maxStatelessCount: 1 })).toMatchObject({ ok: true, warnings: [] });
    expect(stream({ minStatelessCount: 3, maxStatelessCount: 5 })).toMatchObject({ ok: true, warnings: [] });
  });
});
