/**
 * Types of the `initialize` payload (spec §4.1) and of the storage descriptors it and `storing`
 * carry (§4.2, §4.3).
 *
 * @module
 */

/** Pipeline kind (`pipelineKind` in `@hkube/consts`). Streaming needs storage protocol `v3`. */
export type PipelineKind = 'batch' | 'stream';

/** Node state type of a streaming node; absent means stateful. */
export type StateType = 'stateless' | 'stateful';

/** Task retry policy; absent means `OnCrash` on the worker (spec §5.5). */
export type RetryPolicy = 'Never' | 'Always' | 'OnError' | 'OnCrash';

/**
 * An OpenTracing TEXT_MAP carrier, e.g. `{ "uber-trace-id": "a0aa0bab5bfde7a6:7e187ec65fb04e0e:37bc77758a09b6a4:1" }`.
 * Only its being an object is checked.
 */
export type TracingCarrier = Readonly<Record<string, unknown>>;

/**
 * Where a peer data server listens (`storing.discovery`, storage links). Java sends the port as a
 * string; the validators always return a number.
 */
export interface DiscoveryAddress {
  /** Host name or IP (the producer's `POD_IP`). */
  readonly host: string;
  /** TCP port (the producer's `DISCOVERY_PORT`, 9020 by default). */
  readonly port: number;
}

/** Location of an object in the cluster's storage, e.g. `{ path: 'local-hkube/<jobId>/<taskId>', size: 42 }`. */
export interface StorageInfo {
  /** Storage path `<bucket>/<key…>`; for results `<CLUSTER_NAME>-hkube/<jobId>/<taskId>`. */
  readonly path: string;
  /** Payload length in bytes (without the 8-byte header). Optional in links, always written by wrappers. */
  readonly size?: number;
  /** Anything else the writer added. */
  readonly [key: string]: unknown;
}

/**
 * Shape information for one save path of a result (`info.savePaths`): `{ type: 'array', size: 3 }` for
 * arrays, `{ type: typeof value }` otherwise. Only `type: 'array'` + `size` is used downstream (batch-on-path).
 */
export interface MetadataEntry {
  /** `array`, or the JS `typeof` of the value (other wrappers write their own type names). */
  readonly type: string;
  /** Number of items, for `type: 'array'`. */
  readonly size?: number;
  /** Anything else the writer added. */
  readonly [key: string]: unknown;
}

/** Result metadata keyed by save path (`"<nodeName>.<path>"`). */
export type ResultMetadata = Readonly<Record<string, MetadataEntry>>;

/**
 * A reference to one stored value (the `single` and `flowInput` shapes of spec §4.2). Fetch from the peer
 * (`discovery`, key `taskId`) when it is advertised and a peer client exists, else read
 * `storageInfo.path`; then take the sub-value at `path` (dot-path, `''` = whole value).
 */
export interface SingleStorageLink {
  /** Where the producer's result lives in storage. */
  readonly storageInfo: StorageInfo;
  /** Dot-path inside the stored value; `''` or absent means the whole value. */
  readonly path?: string;
  /** The producer's result metadata (used for batch-on-path references such as `"x.3"`). */
  readonly metadata?: ResultMetadata;
  /** The producer's data server, when it advertised one. */
  readonly discovery?: DiscoveryAddress;
  /** The producer's task id: the key to ask its data server for. */
  readonly taskId?: string;
  /** Anything else the parser added. */
  readonly [key: string]: unknown;
}

/**
 * Several results held by one peer (the `grouped peer` shape of spec §4.2): fetch each task from the peer;
 * on peer failure read `<CLUSTER_NAME>-hkube/<jobId>/<taskId>` from storage; take `path` from each.
 */
export interface GroupedPeerStorageLink {
  /** The peer holding the results. */
  readonly discovery: DiscoveryAddress;
  /** Task ids of the results, in order. */
  readonly tasks: readonly string[];
  /** Dot-path inside each result. */
  readonly path?: string;
  /** Never present on this shape; lets `'storageInfo' in link` / `link.storageInfo` tell the shapes apart. */
  readonly storageInfo?: undefined;
  /** Anything else the driver added. */
  readonly [key: string]: unknown;
}

/** One entry of a storage link: a single stored value or a group of results on one peer. */
export type StorageLink = SingleStorageLink | GroupedPeerStorageLink;

/**
 * The `storage` map of `initialize`: reference id → link, or an array of links (wait-any/batch references,
 * whose value is the array of the fetched values). `input` refers to an id as the string `"$$<id>"`.
 */
export type StorageLinks = Readonly<Record<string, StorageLink | readonly StorageLink[]>>;

/**
 * What `storing` reports for a result written by the wrapper (spec §4.3), and what the worker records as
 * the task result. `discovery` + `taskId` are sent only when the wrapper's own data server holds the result.
 *
 * @example
 * ```ts
 * const descriptor: StorageDescriptor = {
 *   storageInfo: { path: 'local-hkube/job-1/task-1', size: 17 },
 *   metadata: { 'green.data': { type: 'array', size: 3 } },
 * };
 * ```
 */
export interface StorageDescriptor {
  /** Where the result was written, with the payload size in bytes. */
  readonly storageInfo: StorageInfo & { readonly size: number };
  /** Metadata of each save path found in the result. */
  readonly metadata?: ResultMetadata;
  /** This wrapper's data server (`POD_IP`, `DISCOVERY_PORT`), only when it can serve the result. */
  readonly discovery?: DiscoveryAddress;
  /** The task id the data server knows the result by (this task's id). */
  readonly taskId?: string;
  /** Anything else the writer added. */
  readonly [key: string]: unknown;
}

/** The `info` object of `initialize`. */
export interface TaskInfo {
  /** Pipeline-level extra data (removed for Code-API children). */
  readonly extraData?: unknown;
  /** `"<nodeName>.<path>"` strings children reference; the wrapper writes metadata for each. */
  readonly savePaths?: readonly string[];
  /** The previous run's result, when the pipeline keeps one. */
  readonly lastRunResult?: unknown;
  /** The root job id, set for sub-pipelines. */
  readonly rootJobId?: string;
  /** Anything else the driver added. */
  readonly [key: string]: unknown;
}

/** The `retry` setting of a task. */
export interface RetrySettings {
  /** The policy (spec §5.5). */
  readonly policy: RetryPolicy;
  /** Maximum number of re-queues (worker default 3). */
  readonly limit?: number;
  /** Anything else. */
  readonly [key: string]: unknown;
}

/** One step of a streaming flow: messages from `source` go to each node of `next`. */
export interface StreamFlowStep {
  /** The sending node. */
  readonly source: string;
  /** The receiving nodes. */
  readonly next: readonly string[];
  /** Anything else. */
  readonly [key: string]: unknown;
}

/** Streaming flows by name, e.g. `{ main: [{ source: 'A', next: ['B'] }] }`. */
export type ParsedFlow = Readonly<Record<string, readonly StreamFlowStep[]>>;

/**
 * The `data` of `initialize`: the job's description of this task (spec §4.1). Wrappers pass the whole
 * payload, with `input` resolved, to the user's `init`/`start` as `args`. Unknown fields are kept.
 *
 * After validation `input` is always an array, `storage` always an object and `flatInput` an object or
 * `null`; documented optional fields that arrived as `null` are removed (except `spanId`).
 *
 * @example
 * ```ts
 * const refs = payload.flatInput === null ? [] : Object.values(payload.flatInput).filter((v) => typeof v === 'string' && v.startsWith('$$'));
 * ```
 */
export interface InitializePayload {
  /** Pipeline execution id. */
  readonly jobId: string;
  /** This task's id. */
  readonly taskId: string;
  /** Node name in the pipeline (`"<parentNode>:<algorithmName>"` for Code-API children). */
  readonly nodeName: string;
  /** Algorithm name. */
  readonly algorithmName: string;
  /** Pipeline name. */
  readonly pipelineName?: string;
  /** Pipeline kind. */
  readonly kind?: PipelineKind;
  /** Streaming node state type; absent = stateful. */
  readonly stateType?: StateType;
  /** The node input: resolved values (v1), or values with `"$$<id>"` references (v2/v3). */
  readonly input: unknown[];
  /** Reference id → storage link (v2/v3); `{}` when there are no references. */
  readonly storage: StorageLinks;
  /** Dot-path → leaf map of `input` (v2/v3; `{}` when nothing to resolve); `null` in v1 and from the debug relay. */
  readonly flatInput: Readonly<Record<string, unknown>> | null;
  /** True when the storage links equal the previous task's (advisory). */
  readonly useCache?: boolean;
  /** Tracing carrier of the worker's task span. */
  readonly spanId?: TracingCarrier | null;
  /** Save paths, extra data, root job id… */
  readonly info?: TaskInfo;
  /** Parent node names (streaming discovery). */
  readonly parents?: readonly string[];
  /** Child node names (streaming producer targets; `streamingStatistics` may only name these). */
  readonly childs?: readonly string[];
  /** Streaming flows. */
  readonly parsedFlow?: ParsedFlow;
  /** Default streaming flow name. */
  readonly defaultFlow?: string;
  /** 1-based batch item index; stateless instance index for scaled tasks; 0 otherwise. */
  readonly batchIndex?: number;
  /** True for min-stateless instances. */
  readonly isScaled?: boolean;
  /** Seconds until the worker stops the task. */
  readonly ttl?: number;
  /** Retry policy. */
  readonly retry?: RetrySettings;
  /** Metrics settings, e.g. `{ tensorboard: false }`. */
  readonly metrics?: Readonly<Record<string, unknown>>;
  /** Pipeline priority. */
  readonly priority?: number;
  /** The node's `spec` (absent for Code-API children). */
  readonly spec?: unknown;
  /** Task status at creation, normally `creating`. */
  readonly status?: string;
  /** Queue entrance time (ms since epoch). */
  readonly entranceTime?: number;
  /** Queue attempts (incremented on stalls). */
  readonly attempts?: number;
  /** For Code-API children: the parent's execution id. */
  readonly execId?: string;
  /** For Code-API children: the parent's node name. */
  readonly parentNodeName?: string;
  /** Anything else the platform (or the debug relay) added. */
  readonly [key: string]: unknown;
}
