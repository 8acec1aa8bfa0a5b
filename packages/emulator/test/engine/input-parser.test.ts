import { describe, expect, it } from 'vitest';
import {
  classifyLeaf,
  NodeInputError,
  parseInput,
  parseLiteralBatch,
  TaskInputError,
  validatePipeline,
  type ParentOutput,
  type ParentOutputs,
  type ParsedInput,
} from '../../src/engine/index.js';

function items(parsed: ParsedInput): unknown[][] {
  if (!parsed.batch) expect.fail('expected a batch');
  return parsed.items;
}

function parents(outputs: Record<string, ParentOutput>): ParentOutputs {
  return {
    output: (name) => outputs[name],
    item: (name, index) => {
      const output = outputs[name];
      return output?.kind === 'batch' ? output.items.find((item) => item.batchIndex === index) : undefined;
    },
  };
}

const single = (result: unknown): ParentOutput => ({ kind: 'single', result });
const batchOf = (...results: unknown[]): ParentOutput => ({
  kind: 'batch',
  skipped: false,
  items: results.map((result, i) => ({ batchIndex: i + 1, status: 'succeed', result })),
});

describe('literal batches (§1.3)', () => {
  it('A1: ranges and words give 28 items', () => {
    expect(items(parseInput(['#[1, 2, 3, 4, 5, 1...10, 11,12, 20...30]'], { nodeName: 'A' }))).toHaveLength(28);
  });

  it('A2: words stay strings (23 items, the first is ["hello"])', () => {
    const list = items(parseInput(['#[hello, 1...10, world, 10...20]'], { nodeName: 'A' }));
    expect(list).toHaveLength(23);
    expect(list[0]).toEqual(['hello']);
    expect(list[11]).toEqual(['world']);
  });

  it('A3: a range gives numbers (101 items, the first is [600])', () => {
    const list = items(parseInput(['#[600...700]'], { nodeName: 'A' }));
    expect(list).toHaveLength(101);
    expect(list[0]).toEqual([600]);
    expect(list[100]).toEqual([700]);
  });

  it('A4: #[1,2,3] gives strings, literals are repeated', () => {
    expect(items(parseInput(['#[1,2,3]', 'x'], { nodeName: 'A' }))).toEqual([
      ['1', 'x'],
      ['2', 'x'],
      ['3', 'x'],
    ]);
  });

  it('A5: indexed over batches inside objects', () => {
    const input = [{ data1: '#[0...10]' }, { val1: 'data1' }, { val2: 'data2' }, { data2: '#[10...20]' }, 'data1', 'data2', { data3: '#[20...30]' }];
    const list = items(parseInput(input, { nodeName: 'A' }));
    expect(list).toHaveLength(11);
    expect(list[0]).toEqual([{ data1: 0 }, { val1: 'data1' }, { val2: 'data2' }, { data2: 10 }, 'data1', 'data2', { data3: 20 }]);
    expect(list[9]).toEqual([{ data1: 9 }, { val1: 'data1' }, { val2: 'data2' }, { data2: 19 }, 'data1', 'data2', { data3: 29 }]);
  });

  it('A6: cartesian varies the first list slowest', () => {
    const input = [{ data1: '#[0...10]' }, { val1: 'data1' }, { val2: 'data2' }, { data2: '#[100...110]' }];
    const list = items(parseInput(input, { nodeName: 'A' }, 'cartesian'));
    expect(list).toHaveLength(121);
    expect(list[0]).toEqual([{ data1: 0 }, { val1: 'data1' }, { val2: 'data2' }, { data2: 100 }]);
    expect(list[100]).toEqual([{ data1: 9 }, { val1: 'data1' }, { val2: 'data2' }, { data2: 101 }]);
  });

  it('A7: cartesian of a range and words', () => {
    expect(items(parseInput(['#[1...3]', '#[5,6]'], { nodeName: 'A' }, 'cartesian'))).toEqual([
      [1, '5'],
      [1, '6'],
      [2, '5'],
      [2, '6'],
      [3, '5'],
      [3, '6'],
    ]);
  });

  it('A8: indexed pads the shorter list with null', () => {
    expect(items(parseInput(['#[a, b,c]', '#[1,2]'], { nodeName: 'A' }))).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['c', null],
    ]);
  });

  it('A14: #[] gives one empty string, #[3...1] gives no item', () => {
    expect(items(parseInput(['#[]'], { nodeName: 'A' }))).toEqual([['']]);
    expect(items(parseInput(['#[3...1]'], { nodeName: 'A' }))).toEqual([]);
  });

  it('flattens nested brackets and does no JSON parsing', () => {
    expect(parseLiteralBatch('#[[1,2],[3]]')).toEqual(['1', '2', '3']);
    expect(parseLiteralBatch('#[{"a":1}]')).toEqual(['{"a":1}']);
    expect(parseLiteralBatch('#[x...y, 2...3]')).toEqual([2, 3]);
  });
});

describe('flowInput (§1.4)', () => {
  const flowInput = { files: { links: ['l1', 'l2', 'l3', 'l4', 'l5'] }, flowList: [1, 2, 3, 4], x: { y: 1 }, n: null };

  it('A9: a batch inside an object', () => {
    const list = items(parseInput([{ a: { c: '#@flowInput.files.links' } }], { nodeName: 'A', flowInput }));
    expect(list).toEqual(flowInput.files.links.map((link) => [{ a: { c: link } }]));
  });

  it('A10: a batch next to a literal list, in either key order', () => {
    const expected = [1, 2, 3, 4].map((k) => [{ flow: k, list: [5, 6, 7] }]);
    expect(items(parseInput([{ flow: '#@flowInput.flowList', list: [5, 6, 7] }], { nodeName: 'A', flowInput }))).toEqual(expected);
    expect(items(parseInput([{ list: [5, 6, 7], flow: '#@flowInput.flowList' }], { nodeName: 'A', flowInput }))).toEqual(expected);
  });

  it('A11: nulls are kept, not a batch', () => {
    const input = [null, { prop: null }, [null], { a: { b: [null] } }];
    expect(parseInput(input, { nodeName: 'A' })).toEqual({ batch: false, input });
  });

  it('A12: @flowInput.array with no flowInput gives null', () => {
    expect(parseInput(['@flowInput.array'], { nodeName: 'A' })).toEqual({ batch: false, input: [null] });
  });

  it('A13: a missing flowInput path is a validation error', () => {
    const checked = validatePipeline({
      name: 'p',
      nodes: [{ nodeName: 'green', algorithmName: 'green-alg', input: ['#@flowInput.not_such_object'] }],
      flowInput: { files: { links: ['links-1'] } },
    });
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.error.message).toBe('unable to find flowInput.not_such_object');
  });

  it('reads the whole flowInput, a path, and a null value', () => {
    expect(parseInput(['@flowInput', '@flowInput.x', '@flowInput.n'], { nodeName: 'A', flowInput })).toEqual({
      batch: false,
      input: [flowInput, { y: 1 }, null],
    });
  });

  it('a batch over a value that is not an array is empty (skipped)', () => {
    expect(items(parseInput(['#@flowInput.x'], { nodeName: 'A', flowInput }))).toEqual([]);
    expect(items(parseInput(['#@flowInput.n'], { nodeName: 'A', flowInput }))).toEqual([]);
  });

  it('a batch over a missing path fails the node', () => {
    expect(() => parseInput(['#@flowInput.nope'], { nodeName: 'A', flowInput })).toThrow(NodeInputError);
  });
});

describe('node references (§2.4)', () => {
  const A = single({ data: [10, 20, 30], obj: { z: 1 } });

  it('selects paths with numeric indices; a missing path gives null', () => {
    const parsed = parseInput(['@A.data.1', '@A.missing', '@A', { k: '@A.data' }, '@A.'], { nodeName: 'B', parents: parents({ A }) });
    expect(parsed).toEqual({ batch: false, input: [20, null, { data: [10, 20, 30], obj: { z: 1 } }, { k: [10, 20, 30] }, { data: [10, 20, 30], obj: { z: 1 } }] });
  });

  it('#@A.data fans out over the array', () => {
    expect(items(parseInput(['#@A.data', 'x'], { nodeName: 'B', parents: parents({ A }) }))).toEqual([
      [10, 'x'],
      [20, 'x'],
      [30, 'x'],
    ]);
  });

  it('#@A.obj (not an array) is empty; #@A.nope fails the node', () => {
    expect(items(parseInput(['#@A.obj'], { nodeName: 'B', parents: parents({ A }) }))).toEqual([]);
    expect(() => parseInput(['#@A.nope'], { nodeName: 'B', parents: parents({ A }) })).toThrow(/#@A\.nope/);
  });

  it('@X on a batch parent gives the array of item outputs, with paths', () => {
    const X = batchOf({ v: '1!' }, { v: '2!' }, { v: '3!' });
    expect(parseInput(['@X.v'], { nodeName: 'B', parents: parents({ X }) })).toEqual({ batch: false, input: [['1!', '2!', '3!']] });
  });

  it('#@X on a batch parent drops failed items; @X fails the task', () => {
    const X: ParentOutput = {
      kind: 'batch',
      skipped: false,
      items: [
        { batchIndex: 1, status: 'succeed', result: 'a' },
        { batchIndex: 2, status: 'failed', error: 'boom' },
        { batchIndex: 3, status: 'succeed', result: 'c' },
      ],
    };
    expect(items(parseInput(['#@X'], { nodeName: 'B', parents: parents({ X }) }))).toEqual([['a'], ['c']]);
    expect(() => parseInput(['@X'], { nodeName: 'B', parents: parents({ X }) })).toThrow(TaskInputError);
    expect(() => parseInput(['@X'], { nodeName: 'B', parents: parents({ X }) })).toThrow(
      'node "B" input "@X" cannot be resolved: batch item 2 of node "X" failed (boom)',
    );
  });

  it('*@X reads item k of a wait-any firing', () => {
    const X = batchOf('a', 'b', 'c');
    expect(parseInput(['*@X', 'z'], { nodeName: 'B', parents: parents({ X }), waitAnyIndex: 2 })).toEqual({ batch: false, input: ['b', 'z'] });
  });

  it('a skipped parent reads as [] and an empty batch', () => {
    const X: ParentOutput = { kind: 'batch', skipped: true, items: [] };
    expect(parseInput(['@X'], { nodeName: 'B', parents: parents({ X }) })).toEqual({ batch: false, input: [[]] });
    expect(items(parseInput(['#@X'], { nodeName: 'B', parents: parents({ X }) }))).toEqual([]);
  });

  it('values are deep copies and Buffers stay Buffers', () => {
    const shared = { list: [1, 2], bytes: Buffer.from('hi') };
    const parsed = parseInput(['@A', '@A'], { nodeName: 'B', parents: parents({ A: single(shared) }) });
    if (parsed.batch) expect.fail('not a batch');
    const [first, second] = parsed.input as [typeof shared, typeof shared];
    expect(first).not.toBe(shared);
    expect(first.list).not.toBe(second.list);
    expect(Buffer.isBuffer(first.bytes)).toBe(true);
    expect(first.bytes.toString()).toBe('hi');
  });

  it('preserves empty objects and arrays (decision §7.3 #6)', () => {
    expect(parseInput([1, {}, 2, [], { a: {} }], { nodeName: 'A' })).toEqual({ batch: false, input: [1, {}, 2, [], { a: {} }] });
  });
});

describe('classifyLeaf', () => {
  it.each([
    ['@A', { type: 'node', relation: 'waitNode', nodeName: 'A', path: '' }],
    ['@A.b.0', { type: 'node', relation: 'waitNode', nodeName: 'A', path: 'b.0' }],
    ['#@A.b', { type: 'node', relation: 'waitBatch', nodeName: 'A', path: 'b' }],
    ['*@A', { type: 'node', relation: 'waitAny', nodeName: 'A' }],
    ['*#@A', { type: 'node', relation: 'waitAnyBatch', nodeName: 'A' }],
    ['@flowInput.x', { type: 'flowInput', relation: 'waitNode', body: 'flowInput.x' }],
    ['#@flowInput.x', { type: 'flowInput', relation: 'waitBatch' }],
    ['@dataSource.d/f', { type: 'dataSource' }],
    ['#[1,2]', { type: 'literalBatch' }],
  ])('%s', (text, expected) => {
    expect(classifyLeaf(text)).toMatchObject(expected);
  });

  it.each(['a@b', 'x#@y', 'files.link', '#x', '*x', ''])('%s is a literal', (text) => {
    expect(classifyLeaf(text)).toBeUndefined();
  });
});
