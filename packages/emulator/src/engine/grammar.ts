/**
 * The grammar of string leaves in a node's `input` (§1.3 of the spec): references (`@X.path`,
 * `#@X`, `*@X`, `*#@X`), flowInput and dataSource references, and literal batches `#[…]`.
 * Any other string is a literal.
 */

/** The relation a reference creates between its node and the referenced node. */
export type Relation = 'waitNode' | 'waitBatch' | 'waitAny' | 'waitAnyBatch';

/** Reference prefixes, in the order HKube matches them. */
const REFERENCE_PREFIXES: readonly (readonly [string, Relation])[] = [
  ['@', 'waitNode'],
  ['*@', 'waitAny'],
  ['#@', 'waitBatch'],
  ['*#@', 'waitAnyBatch'],
];

/** A reference to another node's output, e.g. `#@A.data.0` → `{relation: 'waitBatch', nodeName: 'A', path: 'data.0'}`. */
export interface NodeReference {
  readonly type: 'node';
  /** The string as written. */
  readonly text: string;
  readonly relation: Relation;
  /** Text up to the first `.` after the prefix. */
  readonly nodeName: string;
  /** Text after the first `.`; `''` selects the whole output. */
  readonly path: string;
  /** Text after the prefix: `<nodeName>[.<path>]`. HKube's `savePaths` entries are made of these. */
  readonly body: string;
}

/**
 * A reference to the job's flowInput, e.g. `@flowInput.files.links`. As in HKube, any body that starts
 * with `flowInput` counts; `body` is looked up in `{flowInput}`, so `@flowInputs.x` never resolves.
 */
export interface FlowInputReference {
  readonly type: 'flowInput';
  readonly text: string;
  readonly relation: Relation;
  /** Text after the prefix, e.g. `flowInput.files.links`. */
  readonly body: string;
}

/** A `@dataSource.<name>/<file>` reference. Out of the emulator's scope: validation rejects it. */
export interface DataSourceReference {
  readonly type: 'dataSource';
  readonly text: string;
  readonly relation: Relation;
  readonly body: string;
}

/** A literal batch `#[…]`. */
export interface LiteralBatch {
  readonly type: 'literalBatch';
  readonly text: string;
}

/** A string leaf that is an expression rather than a literal. */
export type InputExpression = NodeReference | FlowInputReference | DataSourceReference | LiteralBatch;

/** Any reference (not a literal batch). */
export type InputReference = NodeReference | FlowInputReference | DataSourceReference;

/**
 * Classifies one string leaf of `input`. Returns `undefined` for a literal string (`"a@b"`,
 * `"x#@y"`, `"files.link"`).
 */
export function classifyLeaf(text: string): InputExpression | undefined {
  if (text.startsWith('#[')) return { type: 'literalBatch', text };
  const match = REFERENCE_PREFIXES.find(([prefix]) => text.startsWith(prefix));
  if (match === undefined) return undefined;
  const [prefix, relation] = match;
  const body = text.slice(prefix.length);
  if (body.startsWith('flowInput')) return { type: 'flowInput', text, relation, body };
  if (body.startsWith('dataSource')) return { type: 'dataSource', text, relation, body };
  const dot = body.indexOf('.');
  const nodeName = dot === -1 ? body : body.slice(0, dot);
  const path = dot === -1 ? '' : body.slice(dot + 1);
  return { type: 'node', text, relation, nodeName, path, body };
}

/** True for expressions that fan a node out into batch items (`#@…`, `*#@…`, `#[…]`). */
export function isBatchExpression(expression: InputExpression): boolean {
  return expression.type === 'literalBatch' || expression.relation === 'waitBatch' || expression.relation === 'waitAnyBatch';
}

/** One comma-separated item of a literal batch: a word, or a numeric range `a...b`. */
type LiteralItem = { readonly word: string } | { readonly from: number; readonly to: number };

function literalItems(text: string): LiteralItem[] {
  const items = text.slice(1).replace(/[[\]]+/g, '').replace(/\s/g, '').split(',');
  return items.map((item) => {
    if (!item.includes('...')) return { word: item };
    const [from = '', to = ''] = item.split('...');
    return { from: Number.parseInt(from, 10), to: Number.parseInt(to, 10) };
  });
}

function rangeLength(item: { readonly from: number; readonly to: number }): number {
  const length = item.to - item.from + 1;
  return Number.isFinite(length) && length > 0 ? length : 0;
}

/** Number of items {@link parseLiteralBatch} would return, computed without building them. */
export function literalBatchSize(text: string): number {
  return literalItems(text).reduce((sum, item) => sum + ('word' in item ? 1 : rangeLength(item)), 0);
}

/**
 * Expands a literal batch exactly as HKube does: every `[`, `]` and whitespace is removed, the rest is
 * split on `,`; `a...b` gives the **numbers** a..b inclusive (nothing when b < a), every other item stays
 * a **string**. So `#[1,2,3]` gives `"1","2","3"`, `#[1...3]` gives `1,2,3`, `#[]` gives `[""]`,
 * `#[3...1]` gives `[]` and `#[[1,2],[3]]` gives `"1","2","3"`. There is no JSON parsing.
 */
export function parseLiteralBatch(text: string): (string | number)[] {
  const result: (string | number)[] = [];
  for (const item of literalItems(text)) {
    if ('word' in item) {
      result.push(item.word);
      continue;
    }
    const length = rangeLength(item);
    for (let i = 0; i < length; i += 1) result.push(item.from + i);
  }
  return result;
}
