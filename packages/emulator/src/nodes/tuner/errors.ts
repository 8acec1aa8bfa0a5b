/**
 * Failures of a `hyperparamsTuner` node (pipeline-semantics §5.2). They fail the node; the job result
 * carries their `message`.
 */
import { HkubeError } from '@hkube-ts/protocol';

/** The tuner's spec asks for something the emulator cannot run (a bad hyper-parameter, sampler or grid). */
export class TunerSpecError extends HkubeError {
  readonly code = 'TUNER_SPEC_INVALID' as const;
  /** The tuner node. */
  readonly nodeName: string;

  constructor(nodeName: string, message: string) {
    super(`hyperparamsTuner node "${nodeName}": ${message}`);
    this.nodeName = nodeName;
  }
}

/**
 * A trial's objective pipeline did not give an objective value. The message is the sub-pipeline's
 * error as HKube's tuner raises it (`objective pipeline has no result`, or the failed job's error).
 */
export class TunerObjectiveError extends HkubeError {
  readonly code = 'TUNER_OBJECTIVE_FAILED' as const;
  /** The objective pipeline. */
  readonly objectivePipeline: string;

  constructor(objectivePipeline: string, message: string) {
    super(message);
    this.objectivePipeline = objectivePipeline;
  }
}
