/**
 * Resolution of one input expression to data (§2.4 of the spec): what `@X.p`, `#@X.p`, `*@X.p`,
 * `@flowInput.p` and `#[…]` stand for, given the outputs of the node's parents and the flowInput.
 * Values are returned as they are stored; the caller copies them.
 */
import { NodeInputError, TaskInputError } from './errors.js';
import { literalBatchSize, parseLiteralBatch, type InputExpression, type InputReference } from './grammar.js';
import { getPath } from './object-path.js';

/** The largest batch a node may expand to: beyond this the node fails instead of exhausting memory. */
export const MAX_BATCH_ITEMS = 10_000_000;

/** A finished item of a batch (or wait-any) parent. */
export interface BatchItemOutput {
  /** 1-based. */
  readonly batchIndex: number;
  readonly status: 'succeed' | 'failed';
  /** The item's output, when it succeeded. */
  readonly result?: unknown;
  /** The item's error, when it failed. */
  readonly error?: string;
}

/** What a node sees of one finished parent. */
export type ParentOutput =
  | { readonly kind: 'single'; readonly result: unknown }
  | { readonly kind: 'batch'; readonly skipped: boolean; readonly items: readonly BatchItemOutput[] };

/** Access to the outputs of a node's parents. */
export interface ParentOutputs {
  /** The whole output of a finished parent; `undefined` if the name is not a finished parent. */
  output(nodeName: string): ParentOutput | undefined;
  /** Item `batchIndex` of a batch parent, once finished. */
  item(nodeName: string, batchIndex: number): BatchItemOutput | undefined;
}

/** Everything an input expression may refer to. */
export interface ResolveContext {
  /** The node whose input is resolved (for error messages). */
  readonly nodeName: string;
  /** The job's flowInput (`undefined` when the job has none). */
  readonly flowInput?: unknown;
  /** Outputs of the node's parents. */
  readonly parents?: ParentOutputs;
  /** The index of the wait-any firing being resolved, if any. */
  readonly waitAnyIndex?: number;
}

const noParents: ParentOutputs = { output: () => undefined, item: () => undefined };

function unsupported(context: ResolveContext, expression: InputExpression): NodeInputError {
  return new NodeInputError(context.nodeName, expression.text, 'this expression is not supported by the emulator');
}

function itemValue(context: ResolveContext, reference: InputReference & { type: 'node' }, item: BatchItemOutput): unknown {
  if (item.status === 'failed') throw new TaskInputError(context.nodeName, reference.text, reference.nodeName, item.batchIndex, item.error);
  return getPath(item.result, reference.path) ?? null;
}

/**
 * The value of a non-batch expression (`@…`, `*@…`). A missing path or parent gives `null`.
 *
 * @throws {TaskInputError} when the value includes a failed batch item of the parent.
 * @throws {NodeInputError} for an expression the emulator does not support.
 */
export function resolveScalar(expression: InputExpression, context: ResolveContext): unknown {
  if (expression.type === 'literalBatch' || expression.type === 'dataSource' || expression.relation === 'waitAnyBatch') {
    throw unsupported(context, expression);
  }
  if (expression.type === 'flowInput') {
    // HKube resolves `*@flowInput…` to null inside a wait-any firing (validation rejects it anyway).
    if (expression.relation === 'waitAny' && context.waitAnyIndex !== undefined) return null;
    return getPath({ flowInput: context.flowInput }, expression.body) ?? null;
  }
  const parents = context.parents ?? noParents;
  if (expression.relation === 'waitAny') {
    if (context.waitAnyIndex === undefined) return null;
    const item = parents.item(expression.nodeName, context.waitAnyIndex);
    return item === undefined ? null : itemValue(context, expression, item);
  }
  const output = parents.output(expression.nodeName);
  if (output === undefined) return null;
  if (output.kind === 'single') return getPath(output.result, expression.path) ?? null;
  return output.items.map((item) => itemValue(context, expression, item));
}

/**
 * The list a batch expression (`#@…`, `#[…]`) fans out over. A value that is not an array gives an
 * empty list (the node is skipped); a batch parent gives its succeeded items (failed ones are dropped).
 *
 * @throws {NodeInputError} when the referenced path does not exist (HKube fails the job there too),
 *   or the batch is larger than {@link MAX_BATCH_ITEMS}.
 */
export function resolveBatch(expression: InputExpression, context: ResolveContext): readonly unknown[] {
  if (expression.type === 'literalBatch') {
    const size = literalBatchSize(expression.text);
    if (size > MAX_BATCH_ITEMS) throw new NodeInputError(context.nodeName, expression.text, `${size} items exceed the limit of ${MAX_BATCH_ITEMS}`);
    return parseLiteralBatch(expression.text);
  }
  if (expression.type === 'dataSource' || expression.relation !== 'waitBatch') throw unsupported(context, expression);
  if (expression.type === 'flowInput') {
    const value = getPath({ flowInput: context.flowInput }, expression.body);
    if (value === undefined) throw new NodeInputError(context.nodeName, expression.text, `unable to find ${expression.body}`);
    return Array.isArray(value) ? value : [];
  }
  const output = (context.parents ?? noParents).output(expression.nodeName);
  if (output === undefined) throw new NodeInputError(context.nodeName, expression.text, `node "${expression.nodeName}" has no output`);
  if (output.kind === 'batch') {
    return output.items.filter((item) => item.status === 'succeed').map((item) => getPath(item.result, expression.path) ?? null);
  }
  const value = getPath(output.result, expression.path);
  if (value === undefined) {
    const where = expression.path === '' ? 'no output' : `no value at path "${expression.path}"`;
    throw new NodeInputError(context.nodeName, expression.text, `node "${expression.nodeName}" has ${where}`);
  }
  return Array.isArray(value) ? value : [];
}
