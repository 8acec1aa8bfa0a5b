/**
 * Failures of a run from node (pipeline-semantics §5.3, §7.2 G7/G8). They are thrown (as rejections of
 * `Emulator.runFromNode`) before the new job starts.
 */
import { HkubeError } from '@hkube-ts/protocol';

/** No job with this id was recorded in the emulator's storage. The message is HKube's (G8). */
export class CachedJobNotFoundError extends HkubeError {
  readonly code = 'CACHED_JOB_NOT_FOUND' as const;
  /** The job asked for. */
  readonly jobId: string;

  constructor(jobId: string) {
    super(`unable to find pipeline ${jobId}`);
    this.jobId = jobId;
  }
}

/**
 * The earlier job cannot be re-run from this node: a stream pipeline (`run node is not allowed in
 * stream pipeline`), a wait-any relation (`relation waitAny for node <name> is not allowed`, G7), or a
 * node that is not in the pipeline.
 */
export class RunFromNodeNotAllowedError extends HkubeError {
  readonly code = 'RUN_FROM_NODE_NOT_ALLOWED' as const;
  /** The earlier job. */
  readonly jobId: string;
  /** The node the message is about. */
  readonly nodeName: string | undefined;

  constructor(jobId: string, message: string, nodeName?: string) {
    super(message);
    this.jobId = jobId;
    this.nodeName = nodeName;
  }
}

/** A node outside the re-run subtree has no stored output that its children can read. */
export class CachedOutputMissingError extends HkubeError {
  readonly code = 'CACHED_OUTPUT_MISSING' as const;
  /** The earlier job. */
  readonly jobId: string;
  /** The node without a stored output. */
  readonly nodeName: string;

  constructor(jobId: string, nodeName: string, problem: string) {
    super(`node ${nodeName} of job ${jobId} has no stored output: ${problem}`);
    this.jobId = jobId;
    this.nodeName = nodeName;
  }
}
