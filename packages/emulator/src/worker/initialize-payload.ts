/**
 * The `initialize` payload of a task (worker-protocol §4.1): the job data the pipeline driver and the
 * worker would assemble, with `input`/`storage`/`flatInput` in the form the storage mode calls for
 * (v1: resolved values and `flatInput: null`; v3: `$$` links into storage, §4.2).
 */
import type { InitializePayload } from '@hkube-ts/protocol';
import type { NormalisedPipeline, StreamTaskInfo, TaskRequest } from '../engine/index.js';
import type { EmulatorStorage } from '../storage/emulator-storage.js';
import { linkInput, referenceMask, type ProducerLink, type ReferenceMask } from '../storage/input-links.js';

type Dict = Record<string, unknown>;

function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a job knows that its tasks' payloads need. */
export class PayloadContext {
  readonly #masks = new Map<string, ReferenceMask>();
  readonly #advertised = new Map<string, Dict>();

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

  /**
   * Remembers the `storing` descriptor of a node's single task when it advertises a data server
   * (`discovery`), so that children's `@node[.path]` links point at it, as HKube's pipeline-driver
   * builds them (data-plane §2.5), and the child's wrapper reads it peer-first.
   */
  recordStored(nodeName: string, batchIndex: number, descriptor: unknown): void {
    if (batchIndex !== 0) return;
    if (isDict(descriptor) && isDict(descriptor.discovery) && typeof descriptor.taskId === 'string') this.#advertised.set(nodeName, descriptor);
    else this.#advertised.delete(nodeName);
  }

  /**
   * A {@link ProducerLink} for `@node[.path]` references to an advertised output. Missing values
   * (`null` in the emulator, `undefined` from a peer) are written as copies so both read the same.
   */
  readonly producerLink: ProducerLink = (expression, value) => {
    if (expression.type !== 'node' || expression.relation !== 'waitNode' || value === null) return undefined;
    const descriptor = this.#advertised.get(expression.nodeName);
    return descriptor === undefined ? undefined : { ...descriptor, path: expression.path };
  };
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
  const linked = await linkInput(task.input, context.mask(task.nodeName), task.jobId, context.storage, signal, context.producerLink);
  return { ...base, input: linked.input, storage: linked.storage as InitializePayload['storage'], flatInput: linked.flatInput };
}
