/**
 * The `initialize` payload of a task (worker-protocol §4.1): the job data the pipeline driver and the
 * worker would assemble, with `input`/`storage`/`flatInput` in the form the storage mode calls for
 * (v1: resolved values and `flatInput: null`; v3: `$$` links into storage, §4.2).
 */
import type { InitializePayload } from '@hkube-ts/protocol';
import type { NormalisedPipeline, StreamTaskInfo, TaskRequest } from '../engine/index.js';
import type { EmulatorStorage } from '../storage/emulator-storage.js';
import { linkInput, referenceMask, type ReferenceMask } from '../storage/input-links.js';

/** What a job knows that its tasks' payloads need. */
export class PayloadContext {
  readonly #masks = new Map<string, ReferenceMask>();

  constructor(
    /** The job id. */
    readonly jobId: string,
    /** The validated pipeline. */
    readonly pipeline: NormalisedPipeline,
    /** Where v3 inputs are written. */
    readonly storage: EmulatorStorage,
  ) {}

  /** Where the references of a node's input sit (computed once per node). */
  mask(nodeName: string): ReferenceMask {
    let mask = this.#masks.get(nodeName);
    if (mask === undefined) {
      mask = referenceMask(this.pipeline.nodes.find((node) => node.nodeName === nodeName)?.input ?? []);
      this.#masks.set(nodeName, mask);
    }
    return mask;
  }
}

/** What a stream task's payload adds (worker-protocol §4.1): state type, flows, `isScaled`. */
function streamFields(stream: StreamTaskInfo): Pick<InitializePayload, 'stateType' | 'parsedFlow' | 'defaultFlow' | 'isScaled'> {
  const parsedFlow = Object.fromEntries(Object.entries(stream.parsedFlow).map(([name, steps]) => [name, steps.map((step) => ({ source: step.source, next: [...step.next] }))]));
  return { stateType: stream.stateType, parsedFlow, defaultFlow: stream.defaultFlow, ...(stream.isScaled === true ? { isScaled: true } : {}) };
}

/**
 * Builds the `initialize` payload of `task` for a wrapper in `storageMode`. In v3 the referenced input
 * values are written to storage first.
 */
export async function buildInitializePayload(task: TaskRequest, storageMode: 'v1' | 'v3', context: PayloadContext, signal?: AbortSignal): Promise<InitializePayload> {
  const { pipeline } = context;
  const base = {
    jobId: task.jobId,
    taskId: task.taskId,
    nodeName: task.nodeName,
    algorithmName: task.algorithmName ?? '',
    pipelineName: task.pipelineName,
    kind: task.kind,
    info: { ...task.info, savePaths: [...task.info.savePaths] },
    parents: [...task.parents],
    childs: [...task.childs],
    batchIndex: task.batchIndex,
    ...(task.ttl === undefined ? {} : { ttl: task.ttl }),
    ...(task.retry === undefined ? {} : { retry: { ...task.retry, policy: task.retry.policy ?? 'OnCrash' } }),
    ...(task.spec === undefined ? {} : { spec: task.spec }),
    ...(task.stream === undefined ? {} : streamFields(task.stream)),
    priority: pipeline.priority,
    status: 'creating',
    entranceTime: Date.now(),
    useCache: false,
    spanId: null,
  };
  if (storageMode === 'v1') return { ...base, input: task.input, storage: {}, flatInput: null };
  const linked = await linkInput(task.input, context.mask(task.nodeName), task.jobId, context.storage, signal);
  return { ...base, input: linked.input, storage: linked.storage as InitializePayload['storage'], flatInput: linked.flatInput };
}
