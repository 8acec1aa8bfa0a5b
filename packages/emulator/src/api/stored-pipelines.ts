/**
 * Stored pipelines and how a run of one is assembled, as HKube's `/exec/stored` does: the request's
 * fields are deep-merged into the stored descriptor (objects key by key, arrays index by index, like
 * lodash `merge`), except `flowInput`, which the request replaces as a whole when it gives one.
 */
import { copyValue, isPlainObject } from '../engine/copy.js';
import { StoredPipelineNotFoundError } from '../errors.js';

/** A run of a stored pipeline: its name, an optional flowInput and any descriptor fields to override. */
export interface StoredPipelineRequest {
  /** The stored pipeline's name. */
  readonly stored: string;
  /** Replaces the stored flowInput. */
  readonly flowInput?: unknown;
  /** Other descriptor fields (`options`, `priority`, …), deep-merged into the stored descriptor. */
  readonly [field: string]: unknown;
}

/** True when `value` asks for a stored pipeline (`{ stored: name, … }`). */
export function isStoredPipelineRequest(value: unknown): value is StoredPipelineRequest {
  return isPlainObject(value) && typeof value['stored'] === 'string';
}

/** Deep merge with lodash `merge` semantics; `source` values that are `undefined` are skipped. */
export function mergeDeep(target: unknown, source: unknown): unknown {
  if (source === undefined) return target;
  if (Array.isArray(target) && Array.isArray(source)) {
    const out: unknown[] = [...(target as unknown[])];
    (source as unknown[]).forEach((item, index) => (out[index] = mergeDeep(out[index], item)));
    return out;
  }
  if (isPlainObject(target) && isPlainObject(source)) {
    const out: Record<string, unknown> = { ...target };
    for (const key of Object.keys(source)) {
      if (key === '__proto__') continue;
      out[key] = mergeDeep(out[key], source[key]);
    }
    return out;
  }
  return source;
}

/** The stored pipelines of an emulator, by name. */
export class StoredPipelines {
  readonly #pipelines = new Map<string, Record<string, unknown>>();

  /** Stores (or replaces) a descriptor under its name. */
  set(name: string, descriptor: Record<string, unknown>): void {
    this.#pipelines.set(name, copyValue(descriptor) as Record<string, unknown>);
  }

  /**
   * The descriptor of a run of a stored pipeline.
   *
   * @throws {StoredPipelineNotFoundError} when no pipeline is stored under that name.
   */
  resolve(request: StoredPipelineRequest): Record<string, unknown> {
    const stored = this.#pipelines.get(request.stored);
    if (stored === undefined) throw new StoredPipelineNotFoundError(request.stored);
    const { stored: _name, flowInput, ...overrides } = request;
    const merged = mergeDeep(copyValue(stored), copyValue(overrides)) as Record<string, unknown>;
    merged['name'] = stored['name'];
    if (flowInput !== undefined) merged['flowInput'] = copyValue(flowInput);
    return merged;
  }
}
