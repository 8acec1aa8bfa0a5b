/**
 * The replica count of a stateless stream node (data-plane §4.5, pipeline-semantics §4 "Autoscaling
 * inputs"): HKube's first-scale rule, then
 * `required = ceil((queueSize + reqRate × W) / (W × 1000 / mean(roundTripMs)))` with W = 30 s, clamped
 * to `[minStatelessCount, maxStatelessCount]` and to at most `maxScaleUpPerTick` new replicas at once.
 * Pure: the stream job calls it on each autoscaler tick.
 */

/** HKube's autoscaler constants (`core/worker/config/main/config.base.js`). */
export interface AutoscaleSettings {
  /** Replicas started when a node gets its first messages (HKube `replicasOnFirstScale`: 1). */
  readonly replicasOnFirstScale: number;
  /** The seconds of traffic the replicas must absorb, W in the formula (HKube: 30). */
  readonly windowSeconds: number;
  /** Most replicas added in one tick (HKube: 10). */
  readonly maxScaleUpPerTick: number;
  /** Most replicas of one node, whatever `maxStatelessCount` says (HKube `maxScaleUpReplicasPerNode`: 1000). */
  readonly maxReplicasPerNode: number;
}

/** HKube's values. */
export const HKUBE_AUTOSCALE_SETTINGS: AutoscaleSettings = { replicasOnFirstScale: 1, windowSeconds: 30, maxScaleUpPerTick: 10, maxReplicasPerNode: 1000 };

/** What the autoscaler knows about one stateless node, summed over the edges into it. */
export interface AutoscaleInput {
  /** Live replicas now (not counting replicas being scaled down). */
  readonly replicas: number;
  /** The node's `minStatelessCount`. */
  readonly minReplicas: number;
  /** The node's `maxStatelessCount` (`undefined`/`null`: no limit but {@link AutoscaleSettings.maxReplicasPerNode}). */
  readonly maxReplicas?: number | null | undefined;
  /** Messages ever queued for it (`sent + queueSize` of every producer). */
  readonly totalRequests: number;
  /** Messages it acknowledged. */
  readonly totalResponses: number;
  /** Messages waiting for it now. */
  readonly queueSize: number;
  /** Messages per second queued for it over the statistics window. */
  readonly reqRate: number;
  /** Mean round trip of a message (send to ack) over the window, in ms; `undefined` before any ack. */
  readonly roundTripMs: number | undefined;
}

/**
 * The replicas a stateless node should have.
 *
 * @example
 * ```ts
 * // 10 msgs/s at 100 ms each with an empty queue: ceil((0 + 10 × 30) / (30 × 10)) = 1 replica.
 * requiredReplicas({ replicas: 1, minReplicas: 0, totalRequests: 500, totalResponses: 490, queueSize: 0, reqRate: 10, roundTripMs: 100 }); // 1
 * ```
 */
export function requiredReplicas(input: AutoscaleInput, settings: AutoscaleSettings = HKUBE_AUTOSCALE_SETTINGS): number {
  const min = Math.max(0, Math.floor(input.minReplicas));
  const cap = Math.max(min, Math.min(input.maxReplicas ?? Infinity, settings.maxReplicasPerNode));
  const clamp = (wanted: number): number => Math.min(cap, Math.max(min, wanted));
  let wanted: number;
  if (input.replicas === 0 && input.totalRequests > 0 && input.totalResponses === 0) {
    wanted = settings.replicasOnFirstScale;
  } else if (input.queueSize <= 0 && input.reqRate <= 0) {
    // Idle: down to the minimum.
    wanted = 0;
  } else if (input.roundTripMs === undefined || input.roundTripMs <= 0) {
    // Traffic but no measured speed yet: keep what runs, and make sure something drains the queue.
    wanted = Math.max(input.replicas, 1);
  } else {
    const perReplica = settings.windowSeconds * (1000 / input.roundTripMs);
    wanted = Math.ceil((input.queueSize + input.reqRate * settings.windowSeconds) / perReplica);
  }
  const target = clamp(wanted);
  return target > input.replicas ? Math.min(target, input.replicas + settings.maxScaleUpPerTick) : target;
}
