/**
 * Turns a node's `input` into the inputs of its tasks (§1.3, §2.3, §2.4 of the spec).
 *
 * The input is compiled once into a template whose expression leaves are numbered in document order
 * (arrays by index, objects by key order, as HKube flattens them). Every batch expression, wherever it
 * sits, is one dimension; `indexed` pairs the dimensions item by item (shorter ones give `null`),
 * `cartesian` takes every combination with the first dimension varying slowest.
 *
 * Divergence (§7.3 #6, decided): empty objects and arrays inside `input` are **preserved**. HKube's parser
 * drops them (`[1, {}, 2]` reaches the algorithm as `[1, null, 2]`); no algorithm should depend on that.
 */
import type { BatchOperation } from './descriptor.js';
import { copyValue, isPlainObject } from './copy.js';
import { NodeInputError, TaskInputError } from './errors.js';
import { classifyLeaf, isBatchExpression, type InputExpression } from './grammar.js';
import { MAX_BATCH_ITEMS, resolveBatch, resolveScalar, type ResolveContext } from './resolve.js';

/** How a compiled input is rebuilt around the values of its expressions (`slot` indexes `expressions`). */
export type InputTemplate =
  | { readonly kind: 'literal'; readonly value: unknown }
  | { readonly kind: 'array'; readonly items: readonly InputTemplate[] }
  | { readonly kind: 'object'; readonly entries: readonly (readonly [string, InputTemplate])[] }
  | { readonly kind: 'expression'; readonly slot: number };

/** A node's input, parsed once: the expressions it contains and how to rebuild it around their values. */
export interface CompiledInput {
  /** Every expression leaf, in document order. */
  readonly expressions: readonly InputExpression[];
  /** True when some expression is a batch (`#@…`, `#[…]`, `*#@…`). */
  readonly hasBatch: boolean;
  /** @internal The rebuild template of each top-level input element. */
  readonly template: readonly InputTemplate[];
}

/** Parses a node's input into a {@link CompiledInput}. */
export function compileInput(input: readonly unknown[]): CompiledInput {
  const expressions: InputExpression[] = [];
  const walk = (value: unknown): InputTemplate => {
    if (typeof value === 'string') {
      const expression = classifyLeaf(value);
      if (expression === undefined) return { kind: 'literal', value };
      expressions.push(expression);
      return { kind: 'expression', slot: expressions.length - 1 };
    }
    const before = expressions.length;
    let template: InputTemplate;
    if (Array.isArray(value)) template = { kind: 'array', items: value.map(walk) };
    else if (isPlainObject(value)) template = { kind: 'object', entries: Object.keys(value).map((key) => [key, walk(value[key])] as const) };
    else return { kind: 'literal', value };
    return expressions.length === before ? { kind: 'literal', value } : template;
  };
  const template = input.map(walk);
  return { expressions, template, hasBatch: expressions.some(isBatchExpression) };
}

/** The tasks a node's input expands to. */
export type ExpandedInput =
  /** One task. */
  | { readonly kind: 'single'; readonly input: unknown[]; readonly error?: TaskInputError }
  /** One task per item, in item order (at least one item). */
  | { readonly kind: 'batch'; readonly items: unknown[][]; readonly error?: TaskInputError }
  /** A batch with no items: the node is skipped. */
  | { readonly kind: 'skip' };

function instantiate(template: InputTemplate, values: readonly unknown[]): unknown {
  switch (template.kind) {
    case 'literal':
      return copyValue(template.value);
    case 'expression':
      return copyValue(values[template.slot]) ?? null;
    case 'array':
      return template.items.map((item) => instantiate(item, values) ?? null);
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, item] of template.entries) {
        const value = instantiate(item, values);
        if (value === undefined) continue;
        if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
        else out[key] = value;
      }
      return out;
    }
  }
}

function build(compiled: CompiledInput, values: readonly unknown[]): unknown[] {
  return compiled.template.map((template) => instantiate(template, values) ?? null);
}

function batchCount(lengths: readonly number[], operation: BatchOperation): number {
  if (operation === 'cartesian') return lengths.reduce((product, length) => product * length, 1);
  return lengths.reduce((max, length) => Math.max(max, length), 0);
}

/**
 * Expands a compiled input into task inputs, resolving every expression against `context`. Every value
 * is a deep copy. A non-batch expression that cannot be resolved for a task (a failed parent item) is
 * returned as `error`: each task of the node must fail with it.
 *
 * @throws {NodeInputError} when a batch cannot be built; the node (and the job) fails.
 */
export function expandInput(compiled: CompiledInput, context: ResolveContext, operation: BatchOperation = 'indexed'): ExpandedInput {
  const values: unknown[] = new Array<unknown>(compiled.expressions.length).fill(null);
  const dimensions: { readonly slot: number; readonly items: readonly unknown[] }[] = [];
  let error: TaskInputError | undefined;
  compiled.expressions.forEach((expression, slot) => {
    if (isBatchExpression(expression)) {
      dimensions.push({ slot, items: resolveBatch(expression, context) });
      return;
    }
    try {
      values[slot] = resolveScalar(expression, context);
    } catch (thrown) {
      if (!(thrown instanceof TaskInputError)) throw thrown;
      error ??= thrown;
    }
  });
  const failure = error === undefined ? {} : { error };
  if (dimensions.length === 0) return { kind: 'single', input: build(compiled, values), ...failure };

  const count = batchCount(
    dimensions.map((dimension) => dimension.items.length),
    operation,
  );
  if (count === 0) return { kind: 'skip' };
  if (count > MAX_BATCH_ITEMS) throw new NodeInputError(context.nodeName, undefined, `a batch of ${count} items exceeds the limit of ${MAX_BATCH_ITEMS}`);
  const items: unknown[][] = [];
  for (let index = 0; index < count; index += 1) {
    let rest = index;
    // Cartesian: mixed-radix digits of `index`, the last dimension varying fastest.
    for (let d = dimensions.length - 1; d >= 0; d -= 1) {
      const dimension = dimensions[d]!;
      const length = dimension.items.length;
      if (operation === 'cartesian') {
        values[dimension.slot] = dimension.items[rest % length];
        rest = Math.floor(rest / length);
      } else {
        values[dimension.slot] = index < length ? dimension.items[index] : null;
      }
    }
    items.push(build(compiled, values));
  }
  return { kind: 'batch', items, ...failure };
}

/** The result of {@link parseInput}: a single input, or the inputs of the batch items (empty: skipped). */
export type ParsedInput = { readonly batch: false; readonly input: unknown[] } | { readonly batch: true; readonly items: unknown[][] };

/**
 * Parses and resolves a node's input in one call, e.g. to preview the tasks of a node.
 *
 * @example
 * ```ts
 * parseInput(['#[1,2,3]', 'x'], { nodeName: 'A' });
 * // { batch: true, items: [['1','x'], ['2','x'], ['3','x']] }
 * ```
 * @throws {NodeInputError} when a batch cannot be built.
 * @throws {TaskInputError} when an expression refers to a failed batch item.
 */
export function parseInput(input: readonly unknown[], context: ResolveContext, operation: BatchOperation = 'indexed'): ParsedInput {
  const expanded = expandInput(compileInput(input), context, operation);
  if (expanded.kind === 'skip') return { batch: true, items: [] };
  if (expanded.error !== undefined) throw expanded.error;
  return expanded.kind === 'single' ? { batch: false, input: expanded.input } : { batch: true, items: expanded.items };
}
