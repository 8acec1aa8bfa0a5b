/**
 * Flow helpers (data-plane §4.3): which children a node sends to, and the flow its children receive.
 * Results are memoised per flow object, since a node sends thousands of messages on the same few flows.
 *
 * @module
 */
import type { StreamFlowStep } from '@hkube-ts/protocol';

const NO_NEXT: readonly string[] = Object.freeze([]);
const restCache = new WeakMap<readonly StreamFlowStep[], Map<string, readonly StreamFlowStep[]>>();

/**
 * The flow as `source`'s receivers must see it: `flow` without the step whose `source` is the sender
 * (HKube's `getRestOfFlow`). The same frozen array is returned for the same `flow` object and `source`.
 *
 * @example
 * ```ts
 * restOfFlow([{ source: 'A', next: ['B'] }, { source: 'B', next: ['C'] }], 'A'); // [{ source: 'B', next: ['C'] }]
 * ```
 */
export function restOfFlow(flow: readonly StreamFlowStep[], source: string): readonly StreamFlowStep[] {
  let bySource = restCache.get(flow);
  if (bySource === undefined) {
    bySource = new Map();
    restCache.set(flow, bySource);
  }
  let rest = bySource.get(source);
  if (rest === undefined) {
    rest = Object.freeze(flow.filter((step) => step.source !== source));
    bySource.set(source, rest);
  }
  return rest;
}

/**
 * The nodes `source` sends to on `flow` (`next` of its step), or `[]` when the flow has no step for it,
 * which is how a flow ends: the message is dropped silently (§4.3).
 *
 * @example
 * ```ts
 * nextInFlow([{ source: 'A', next: ['B', 'C'] }], 'A'); // ['B', 'C']
 * ```
 */
export function nextInFlow(flow: readonly StreamFlowStep[], source: string): readonly string[] {
  for (const step of flow) if (step.source === source) return step.next;
  return NO_NEXT;
}
