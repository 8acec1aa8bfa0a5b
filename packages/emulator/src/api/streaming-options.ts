/** The emulator's settings of stream jobs, and the engine options they become. */
import type { AutoscaleSettings, EdgeStatistics, StreamingRunOptions } from '../engine/index.js';

/** Stream job settings of an emulator (see `EmulatorOptions.streaming`). */
export interface EmulatorStreamingOptions {
  /** `STREAMING_STATISTICS_INTERVAL` of every wrapper, in ms (HKube: 2000). Default 1000. */
  readonly statisticsIntervalMs?: number;
  /** Autoscaler tick, in ms (HKube: 10 000). Default 2000. */
  readonly autoscaleIntervalMs?: number;
  /** Least time between two scalings of one node, in ms (HKube: 30 000). Default 0. */
  readonly minScaleIntervalMs?: number;
  /** Restarts of a failed stateful task (HKube: 10 000). Default 3. */
  readonly statefulRetryLimit?: number;
  /**
   * HKube's autoscaler constants to override, e.g. a `windowSeconds` (30) of 1 to see a backlog of a
   * few seconds of work scale out.
   */
  readonly autoscale?: Partial<AutoscaleSettings>;
}

/** The engine's stream options for `settings`, with `onStatistics` receiving every snapshot. */
export function streamRunOptions(settings: EmulatorStreamingOptions | undefined, onStatistics: (edges: readonly EdgeStatistics[]) => void): StreamingRunOptions {
  return {
    ...(settings?.autoscaleIntervalMs === undefined ? {} : { autoscaleIntervalMs: settings.autoscaleIntervalMs }),
    ...(settings?.minScaleIntervalMs === undefined ? {} : { minScaleIntervalMs: settings.minScaleIntervalMs }),
    ...(settings?.statefulRetryLimit === undefined ? {} : { statefulRetryLimit: settings.statefulRetryLimit }),
    ...(settings?.autoscale === undefined ? {} : { autoscale: settings.autoscale }),
    onStatistics,
  };
}
