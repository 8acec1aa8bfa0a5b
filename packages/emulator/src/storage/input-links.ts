/**
 * What a storage-v3 task receives instead of values (data-plane §2.5): every input element that came
 * from a reference (`@X`, `#@X`, `*@X`, `@flowInput…`) is written to storage and replaced by a
 * `"$$<key>"` link; literals (including `#[…]` items) stay inline. `flatInput` is `flat(input)`.
 *
 * The engine hands tasks resolved values; where they came from is read off the node's descriptor
 * input, whose shape the resolved input keeps (arrays by index, objects by key).
 */
import { randomUUID } from 'node:crypto';
import { flatten, writeCodeApiInput } from '@hkube-ts/wrapper-node';
import { isPlainObject } from '../engine/copy.js';
import { classifyLeaf, type InputReference } from '../engine/index.js';
import type { EmulatorStorage } from './emulator-storage.js';

/** Where the references sit in a node's input: the expression at a reference leaf, `false` for literal subtrees. */
export type ReferenceMask =
  | false
  | { readonly kind: 'reference'; readonly expression: InputReference }
  | { readonly kind: 'array'; readonly items: readonly ReferenceMask[] }
  | { readonly kind: 'object'; readonly entries: readonly (readonly [string, ReferenceMask])[] };

/** Computes the {@link ReferenceMask} of a node's descriptor `input`. */
export function referenceMask(value: unknown): ReferenceMask {
  if (typeof value === 'string') {
    const expression = classifyLeaf(value);
    return expression === undefined || expression.type === 'literalBatch' ? false : { kind: 'reference', expression };
  }
  if (Array.isArray(value)) {
    const items = value.map(referenceMask);
    return items.some((item) => item !== false) ? { kind: 'array', items } : false;
  }
  if (isPlainObject(value)) {
    const entries = Object.keys(value).map((key) => [key, referenceMask(value[key])] as const);
    return entries.some(([, item]) => item !== false) ? { kind: 'object', entries } : false;
  }
  return false;
}

/** The `input`, `storage` and `flatInput` fields of a v3 `initialize`. */
export interface LinkedInput {
  readonly input: unknown[];
  readonly storage: Record<string, unknown>;
  readonly flatInput: Record<string, unknown>;
}

/** One referenced value of a task's input and the expression it came from. */
interface Extracted {
  readonly value: unknown;
  readonly expression: InputReference;
}

/**
 * The link to use for a referenced value instead of a copy written to storage, e.g. the producer's own
 * `storing` descriptor (with `discovery`) plus `path`; `undefined` to write a copy.
 */
export type ProducerLink = (expression: InputReference, value: unknown) => Record<string, unknown> | undefined;

/** Replaces the values at reference positions by placeholders, collecting the values in order. */
function extract(mask: ReferenceMask, value: unknown, values: Extracted[]): unknown {
  if (mask === false) return value;
  if (mask.kind === 'reference') {
    values.push({ value, expression: mask.expression });
    return values.length - 1;
  }
  if (mask.kind === 'array') {
    if (!Array.isArray(value)) return value;
    return value.map((item, index) => extract(mask.items[index] ?? false, item, values));
  }
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = { ...value };
  for (const [key, item] of mask.entries) {
    if (Object.prototype.hasOwnProperty.call(value, key)) {
      Object.defineProperty(out, key, { value: extract(item, value[key], values), enumerable: true, writable: true, configurable: true });
    }
  }
  return out;
}

/** Puts the `$$` links where {@link extract} left placeholders. */
function place(mask: ReferenceMask, value: unknown, links: readonly string[]): unknown {
  if (mask === false) return value;
  if (mask.kind === 'reference') return links[value as number];
  if (mask.kind === 'array') return Array.isArray(value) ? value.map((item, index) => place(mask.items[index] ?? false, item, links)) : value;
  if (!isPlainObject(value)) return value;
  for (const [key, item] of mask.entries) {
    if (Object.prototype.hasOwnProperty.call(value, key)) value[key] = place(item, value[key], links);
  }
  return value;
}

/**
 * Writes the referenced values of a task's resolved `input` to `<cluster>-hkube/<jobId>/<key>` (with
 * the `HK` header) and returns the input with `$$<key>` links, the `storage` map and `flatInput`.
 * A value for which `producerLink` gives a link (the producer's advertised output, read peer-first by
 * the wrapper) is not written: that link is used. A node without references gets its input
 * unchanged, `storage: {}` and `flatInput: {}`.
 */
export async function linkInput(
  input: readonly unknown[], mask: ReferenceMask, jobId: string, storage: EmulatorStorage, signal?: AbortSignal, producerLink?: ProducerLink,
): Promise<LinkedInput> {
  const values: Extracted[] = [];
  const skeleton = extract(mask, input, values) as unknown[];
  if (values.length === 0) return { input: [...input], storage: {}, flatInput: {} };
  const producerLinks = values.map(({ expression, value }) => producerLink?.(expression, value));
  const toWrite = values.filter((_, i) => producerLinks[i] === undefined).map(({ value }) => value);
  const written = await writeCodeApiInput(
    { input: toWrite, jobId, clusterName: storage.clusterName },
    { storage: storage.adapter, codec: storage.codec, signal },
  );
  const links: Record<string, unknown> = {};
  for (const [key, link] of Object.entries(written.storage)) links[key] = { ...link, path: '' };
  let next = 0;
  const references = producerLinks.map((link) => {
    if (link === undefined) return written.storageInput[next++] as string;
    const key = randomUUID();
    links[key] = link;
    return `$$${key}`;
  });
  const linked = place(mask, skeleton, references) as unknown[];
  return { input: linked, storage: links, flatInput: flatten(linked) };
}
