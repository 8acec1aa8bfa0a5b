import { describe, expect, it } from 'vitest';
import type { TaskRequest } from '../../src/engine/index.js';
import { algorithm, byAlgorithm, node, run, runData, sleep } from './helpers.js';

/** The "Athos" pipeline of HKube's system tests: one, two, three. */
function athos(one: unknown[], two: unknown[], three: unknown[], batchOperation = 'indexed'): Record<string, unknown> {
  return { name: 'Athos', nodes: [node('one', one), node('two', two), node('three', three, { batchOperation })] };
}

describe('batch execution (§7.2 C)', () => {
  it('C1: indexed over two batch parents', async () => {
    const data = await runData(athos(['#[0...9]'], ['#[10...19]'], ['#@one', '#@two']));
    expect(data).toHaveLength(10);
    expect(data.every((entry) => entry['nodeName'] === 'three')).toBe(true);
    expect(data[7]).toEqual({ nodeName: 'three', batchIndex: 8, algorithmName: 'echo', result: [[7], [17]] });
  });

  it('C2: cartesian over two batch parents', async () => {
    const data = await runData(athos(['#[0...9]'], ['#[10...14]'], ['#@one', '#@two'], 'cartesian'));
    expect(data).toHaveLength(50);
    expect(data[37]!['result']).toEqual([[7], [12]]);
    expect(data[49]!['result']).toEqual([[9], [14]]);
  });

  it('C4: a literal next to two batches of different lengths', async () => {
    const data = await runData(athos(['#[0...9]'], ['#[10...14]'], ['99', '#@one', '#@two']));
    expect(data).toHaveLength(10);
    expect(data[7]!['result']).toEqual(['99', [7], null]);
    expect(data[4]!['result']).toEqual(['99', [4], [14]]);
  });

  it('C6: @X of batch parents gives arrays, in one task', async () => {
    const data = await runData(athos(['#[0...9]'], ['#[10...19]'], [{ a: '@one', b: '@two' }]));
    expect(data).toHaveLength(1);
    const [{ a, b }] = data[0]!['result'] as [{ a: unknown[]; b: unknown[] }];
    expect(a).toHaveLength(10);
    expect(b).toHaveLength(10);
    a.forEach((item, i) => expect(item).toEqual([i]));
  });

  it.each([
    [[5, 3], [3], 24],
    [[3, 5], [8], 64],
    [[2.5, 3.4], [1.35], 7.965],
  ])('C9: addmult with %j and %j', async (addInput, multInput, expected) => {
    const executeTask = byAlgorithm({
      'eval-add': algorithm(({ input }) => {
        const [pair] = input as [number[]];
        return pair[0]! + pair[1]!;
      }),
      'eval-mul': algorithm(({ input }) => (input[0] as number) * (input[1] as number[])[0]!),
    });
    const descriptor = {
      name: 'addmult',
      nodes: [
        { nodeName: 'evaladd', algorithmName: 'eval-add', input: ['@flowInput.addInput'] },
        { nodeName: 'evalmul', algorithmName: 'eval-mul', input: ['@evaladd', '@flowInput.multInput'] },
      ],
      flowInput: { addInput, multInput },
    };
    const data = await runData(descriptor, { executeTask });
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({ nodeName: 'evalmul', algorithmName: 'eval-mul' });
    expect(data[0]!['result']).toBeCloseTo(expected, 10);
  });

  it.each([true, false, { name: 'hkube', type: 'type1', prop: ['prop1', 'prop2', 'prop3', 4, 7, 89.022, -987] }])('C10: flowInput value %j', async (inputs) => {
    const executeTask = algorithm(({ input }) => input[0]);
    const data = await runData({ name: 'bool', nodes: [node('one', ['@flowInput.inputs'])], flowInput: { inputs } }, { executeTask });
    expect(data[0]!['result']).toEqual(inputs);
  });

  it('C11: a batch over null skips the node; children read []', async () => {
    const tasks: TaskRequest[] = [];
    const descriptor = {
      name: 'simple-batch',
      nodes: [
        node('green', [], { includeInResults: true }),
        node('yellow', ['@green', '#@flowInput.inp'], { includeInResults: true }),
        node('black', ['@yellow']),
      ],
      flowInput: { inp: null },
    };
    const result = await run(descriptor, { executeTask: (task, signal) => (tasks.push(task), algorithm((t) => t.input)(task, signal)) });
    expect(result.status).toBe('completed');
    if (result.status !== 'completed') return;
    expect(result.data).toEqual([
      { nodeName: 'green', algorithmName: 'echo', result: [] },
      { nodeName: 'yellow', batchIndex: -1, algorithmName: 'echo' },
      { nodeName: 'black', algorithmName: 'echo', result: [[]] },
    ]);
    expect(tasks.map((task) => task.nodeName)).toEqual(['green', 'black']);
  });

  it('skips propagate through #@ of a skipped node', async () => {
    const data = await runData({ name: 'p', nodes: [node('A', ['#[3...1]']), node('B', ['#@A']), node('C', ['@B', 'x'])] });
    expect(data).toEqual([{ nodeName: 'C', algorithmName: 'echo', result: [[], 'x'] }]);
  });

  it('C13: includeInResults lists a node with children, in declaration order', async () => {
    const data = await runData({ name: 'batch', nodes: [node('green', ['#[1,2]'], { includeInResults: true }), node('yellow', ['@green'])] });
    expect(data.map((entry) => entry['nodeName'])).toEqual(['green', 'green', 'yellow']);
    expect(data[2]!['result']).toEqual([[['1'], ['2']]]);
  });

  it('honours the singular includeInResult too', async () => {
    const data = await runData({ name: 'p', nodes: [node('A', [1], { includeInResult: true }), node('B', ['@A'])] });
    expect(data.map((entry) => entry['nodeName'])).toEqual(['A', 'B']);
  });

  it('C15: double wait-any fires each index once, with both items (documented semantics)', async () => {
    const executeTask = byAlgorithm({
      sleeper: algorithm(async ({ input }) => {
        const [[delay, value]] = input as [[number, number]];
        await sleep(delay);
        return value;
      }),
      mult: algorithm(({ input }) => {
        const [[x1, x2]] = input as [[number, number]];
        return x1 * x2;
      }),
      add: algorithm(({ input }) => (input[0] as number) + (input[1] as number)),
    });
    const descriptor = {
      name: 'indexedPipeline',
      nodes: [
        { nodeName: 'evalsleep', algorithmName: 'sleeper', input: ['#@flowInput.inputs'] },
        { nodeName: 'evalmult', algorithmName: 'mult', input: ['#@flowInput.inputsmul'] },
        { nodeName: 'evaladd', algorithmName: 'add', input: ['*@evalsleep', '*@evalmult'] },
      ],
      flowInput: {
        inputs: [
          [40, 5],
          [5, 6],
          [60, 51],
          [20, -5],
        ],
        inputsmul: [
          [1, 2],
          [7, 3],
          [2, 2],
          [1, 2],
        ],
      },
    };
    const data = await runData(descriptor, { executeTask });
    expect(data).toHaveLength(4);
    expect(Object.fromEntries(data.map((entry) => [entry['batchIndex'], entry['result']]))).toEqual({ 1: 7, 2: 27, 3: 55, 4: -3 });
    expect(data.map((entry) => entry['batchIndex'])).toEqual([2, 4, 1, 3]);
  });

  it('C18: #@A over an array of arrays', async () => {
    const tasks: unknown[][] = [];
    const executeTask = byAlgorithm({ make: algorithm(() => [[1, 2], [3]]), echo: algorithm(({ input }) => (tasks.push(input), input)) });
    await runData({ name: 'p', nodes: [{ nodeName: 'A', algorithmName: 'make' }, node('B', ['#@A'])] }, { executeTask });
    expect(tasks).toEqual([[[1, 2]], [[3]]]);
  });

  it('wait-any fires per item while the parent still runs', async () => {
    const order: string[] = [];
    const executeTask = byAlgorithm({
      slow: algorithm(async ({ input, nodeName }) => {
        await sleep(input[0] === '1' ? 30 : 1);
        order.push(`${nodeName}:${String(input[0])}`);
        return input[0];
      }),
      echo: algorithm(({ input, nodeName }) => (order.push(`${nodeName}:${String(input[0])}`), input[0])),
    });
    const data = await runData({ name: 'p', nodes: [{ nodeName: 'A', algorithmName: 'slow', input: ['#[1,2]'] }, node('B', ['*@A'])] }, { executeTask });
    expect(order).toEqual(['A:2', 'B:2', 'A:1', 'B:1']);
    expect(data).toEqual([
      { nodeName: 'B', batchIndex: 2, algorithmName: 'echo', result: '2' },
      { nodeName: 'B', batchIndex: 1, algorithmName: 'echo', result: '1' },
    ]);
  });

  it('a wait-any firing with a batch fans out (indices repeat)', async () => {
    const data = await runData({ name: 'p', nodes: [node('one', ['#[1...3]']), node('two', ['#[1...2]']), node('three', ['*@one', '#@two'])] });
    expect(data).toHaveLength(6);
    expect(data.map((entry) => entry['batchIndex'])).toEqual([1, 2, 1, 2, 1, 2]);
  });

  it('a wait-any node with a wait parent fires once that parent is done', async () => {
    const data = await runData({ name: 'p', nodes: [node('A', ['#[1,2]']), node('C', ['c']), node('B', ['*@A', '@C'])] });
    expect(data.filter((entry) => entry['nodeName'] === 'B').map((entry) => entry['result'])).toEqual([
      [['1'], ['c']],
      [['2'], ['c']],
    ]);
  });

  it('a wait-any child of a skipped batch is skipped', async () => {
    const data = await runData({ name: 'p', nodes: [node('A', ['#[3...1]']), node('B', ['*@A']), node('C', ['@B'])] });
    expect(data).toEqual([{ nodeName: 'C', algorithmName: 'echo', result: [[]] }]);
  });

  it('explicit edges order nodes without passing data', async () => {
    const order: string[] = [];
    const executeTask = algorithm(async ({ nodeName, input }) => {
      if (nodeName === 'B') await sleep(20);
      order.push(nodeName);
      return input;
    });
    const descriptor = { name: 'p', nodes: [node('A', ['a']), node('B', ['b']), node('C', ['@A'])], edges: [{ source: 'B', target: 'C' }] };
    const data = await runData(descriptor, { executeTask });
    expect(order).toEqual(['A', 'B', 'C']);
    expect(data).toEqual([{ nodeName: 'C', algorithmName: 'echo', result: [['a']] }]);
  });

  it('an output node returns its input and is an ordinary sink (§5.1)', async () => {
    const calls: string[] = [];
    const executeTask = algorithm(({ nodeName, input }) => (calls.push(nodeName), input[0]));
    const descriptor = {
      name: 'outputPipe',
      nodes: [
        node('green', ['@flowInput.a']),
        node('yellow', ['@flowInput.b']),
        node('black', ['@flowInput.c']),
        { nodeName: 'output', kind: 'output', input: ['@yellow', '@green'] },
      ],
      flowInput: { a: 42, b: 'yellow-input', c: 'black-input' },
    };
    const data = await runData(descriptor, { executeTask });
    expect(data).toEqual([
      { nodeName: 'black', algorithmName: 'echo', result: 'black-input' },
      { nodeName: 'output', algorithmName: 'outputPipe-output', result: ['yellow-input', 42] },
    ]);
    expect(calls).not.toContain('output');
  });

  it('hands the task its job data (§2.5)', async () => {
    const tasks: TaskRequest[] = [];
    const executeTask = algorithm((task) => (tasks.push(task), 1));
    await runData(
      {
        name: 'p',
        nodes: [node('A', ['#[1,2]'], { extraData: { code: 'x' }, ttl: 30 }), node('B', ['#@A.0', '@A', '#@A'])],
      },
      { executeTask, jobId: 'job-7', rootJobId: 'root-1' },
    );
    const [first] = tasks;
    expect(first).toMatchObject({
      jobId: 'job-7',
      nodeName: 'A',
      algorithmName: 'echo',
      pipelineName: 'p',
      kind: 'batch',
      nodeKind: 'algorithm',
      input: ['1'],
      batchIndex: 1,
      info: { savePaths: ['A.0', 'A'], extraData: { code: 'x' }, rootJobId: 'root-1', lastRunResult: null },
      parents: [],
      childs: ['B'],
      ttl: 30,
      retry: { policy: 'OnCrash', limit: 3 },
    });
    expect(first!.taskId).toMatch(/^[a-z0-9]{8}$/);
    expect(new Set(tasks.map((task) => task.taskId)).size).toBe(tasks.length);
    expect(tasks.find((task) => task.nodeName === 'B')).toMatchObject({ parents: ['A'], childs: [], batchIndex: 1 });
  });

  it('runs batch tasks concurrently, and honours a concurrency limit', async () => {
    const measure = async (concurrency?: number): Promise<number> => {
      let running = 0;
      let peak = 0;
      const executeTask = algorithm(async () => {
        running += 1;
        peak = Math.max(peak, running);
        await sleep(2);
        running -= 1;
        return null;
      });
      await runData({ name: 'p', nodes: [node('A', ['#[1...12]'])] }, { executeTask, ...(concurrency === undefined ? {} : { concurrency }) });
      return peak;
    };
    expect(await measure()).toBe(12);
    expect(await measure(3)).toBe(3);
  });

  it('isolates task outputs from later mutation', async () => {
    const shared = { list: [1] };
    const executeTask = byAlgorithm({
      make: algorithm(() => shared),
      mutate: algorithm(({ input }) => {
        (input[0] as { list: number[] }).list.push(2);
        return input[0];
      }),
    });
    const data = await runData(
      { name: 'p', nodes: [{ nodeName: 'A', algorithmName: 'make', includeInResults: true }, { nodeName: 'B', algorithmName: 'mutate', input: ['@A'] }] },
      { executeTask },
    );
    shared.list.push(3);
    expect(data[0]!['result']).toEqual({ list: [1] });
    expect(data[1]!['result']).toEqual({ list: [1, 2] });
  });

  it('reports startTime, timestamp and timeTook from the clock', async () => {
    let clock = 1_000;
    const result = await run({ name: 'p', nodes: [node('A')] }, { now: () => (clock += 250) });
    expect(result).toMatchObject({ jobId: 'job', pipeline: 'p', status: 'completed', startTime: 1_250 });
    expect(result.timeTook).toBe((result.timestamp - result.startTime) / 1000);
  });
});
