import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { getPath } from '../../src/engine/object-path.js';
import { parseInput, type BatchOperation, type ParsedInput } from '../../src/engine/index.js';

// Differential test of the input grammar and batch expansion against @hkube/parsers 2.1.11, the parser
// HKube's pipeline-driver uses. HKube replaces references with `$$<id>` storage links; the harness below
// resolves them against the flowInput the way the wrapper's data adapter does (object-path `get`).

interface StorageLink {
  readonly path?: string;
}
interface HkubeParsed {
  readonly batch: boolean;
  readonly input: unknown[] | { readonly input: unknown[]; readonly storage: Record<string, StorageLink> }[];
  readonly storage: Record<string, StorageLink>;
}
interface HkubeParsers {
  readonly parser: {
    parse(options: Record<string, unknown>): HkubeParsed;
    replaceFlowInput(pipeline: Record<string, unknown>): Record<string, unknown>;
  };
}

const { parser } = createRequire(import.meta.url)('@hkube/parsers') as HkubeParsers;

function resolveLinks(value: unknown, storage: Record<string, StorageLink>, flowInput: unknown): unknown {
  if (typeof value === 'string' && value.startsWith('$$')) {
    const link = storage[value.slice(2)];
    if (link === undefined) expect.fail(`unknown storage link ${value}`);
    return getPath(flowInput, link.path ?? '') ?? null;
  }
  if (Array.isArray(value)) return value.map((item) => resolveLinks(item, storage, flowInput));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveLinks(item, storage, flowInput)]));
  }
  return value;
}

/** What HKube's parser makes of a node input, with every link resolved. */
function hkube(input: unknown[], flowInput: Record<string, unknown> | undefined, batchOperation: BatchOperation): ParsedInput {
  const metadata = flowInput === undefined ? undefined : parser.replaceFlowInput({ nodes: [{ input }], flowInput });
  const options = {
    nodeInput: input,
    batchOperation,
    ...(metadata === undefined ? {} : { flowInputMetadata: { metadata, storageInfo: { path: 'flow-input' } } }),
  };
  const parsed = parser.parse(options);
  if (!parsed.batch) return { batch: false, input: resolveLinks(parsed.input, parsed.storage, flowInput) as unknown[] };
  const items = parsed.input as { input: unknown[]; storage: Record<string, StorageLink> }[];
  return { batch: true, items: items.map((item) => resolveLinks(item.input, item.storage, flowInput) as unknown[]) };
}

const links = ['links-1', 'links-2', 'links-3', 'links-4', 'links-5'];
const cases: { id: string; input: unknown[]; flowInput?: Record<string, unknown>; op?: BatchOperation }[] = [
  { id: 'A1', input: ['#[1, 2, 3, 4, 5, 1...10, 11,12, 20...30]'] },
  { id: 'A2', input: ['#[hello, 1...10, world, 10...20]'] },
  { id: 'A3', input: ['#[600...700]'] },
  { id: 'A4', input: ['#[1,2,3]', 'x'] },
  {
    id: 'A5',
    input: [{ data1: '#[0...10]' }, { val1: 'data1' }, { val2: 'data2' }, { data2: '#[10...20]' }, 'data1', 'data2', { data3: '#[20...30]' }],
  },
  { id: 'A6', input: [{ data1: '#[0...10]' }, { val1: 'data1' }, { val2: 'data2' }, { data2: '#[100...110]' }], op: 'cartesian' },
  { id: 'A7', input: ['#[1...3]', '#[5,6]'], op: 'cartesian' },
  { id: 'A8', input: ['#[a, b,c]', '#[1,2]'] },
  { id: 'A9', input: [{ a: { c: '#@flowInput.files.links' } }], flowInput: { files: { links } } },
  { id: 'A10', input: [{ flow: '#@flowInput.flowList', list: [5, 6, 7] }], flowInput: { flowList: [1, 2, 3, 4] } },
  { id: 'A10 (list first)', input: [{ list: [5, 6, 7], flow: '#@flowInput.flowList' }], flowInput: { flowList: [1, 2, 3, 4] } },
  { id: 'A11', input: [null, { prop: null }, [null], { a: { b: [null] } }] },
  { id: 'A14 #[]', input: ['#[]'] },
  { id: 'A14 #[3...1]', input: ['#[3...1]'] },
  { id: 'nested array batch', input: [{ a: { b: [1, 2, ['#@flowInput.files.links']] } }], flowInput: { files: { links } } },
  { id: 'batch over a non-array', input: [200, '#@flowInput.files', false], flowInput: { files: { a: 1 } } },
  { id: 'flowInput values', input: ['@flowInput.x', { k: '@flowInput.y' }, '@flowInput', 2, false], flowInput: { x: [1, 2], y: false } },
  { id: 'cartesian of three', input: ['#[1...2]', 'k', { z: '#[a,b]' }, '#[7...9]'], op: 'cartesian' },
  { id: 'indexed of three', input: ['#[1...2]', 'k', { z: '#[a,b,c,d]' }, '#[7...9]'] },
  { id: 'literal strings', input: ['a@b', 'x#@y', 'files.link', 1.5, true] },
];

describe('grammar and batch expansion against @hkube/parsers 2.1.11', () => {
  it.each(cases)('$id', ({ input, flowInput, op = 'indexed' }) => {
    const theirs = hkube(input, flowInput, op);
    const ours = parseInput(input, { nodeName: 'node', flowInput }, op);
    expect(ours.batch).toBe(theirs.batch);
    if (ours.batch && theirs.batch) expect(ours.items).toHaveLength(theirs.items.length);
    // HKube's values travel through a codec before an algorithm sees them: `undefined` becomes `null`.
    expect(ours).toEqual(JSON.parse(JSON.stringify(theirs)));
  });
});
