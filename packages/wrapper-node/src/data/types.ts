/**
 * Minimal structural types of the storage links (`initialize.storage`) and of the descriptor the
 * wrapper reports in `storing` (data-plane spec §2.3, §2.5; worker-protocol §4.2–§4.3).
 *
 * They are deliberately loose and read-only so that the richer message types of `@hkube-ts/protocol`
 * (`SingleStorageLink`, `GroupedPeerStorageLink`, `StorageDescriptor`) are assignable to them.
 *
 * @module
 */

/** A peer data server's address; Java and Python send the port as a string. */
export interface DiscoveryInfo {
  /** Host name or IP (the producer's `POD_IP`). */
  readonly host: string;
  /** TCP port (the producer's `DISCOVERY_PORT`). */
  readonly port: number | string;
}

/** Where an object lives in storage: `<bucket>/<key…>`, and optionally its payload size. */
export interface StorageInfoRef {
  /** Storage path, e.g. `local-hkube/<jobId>/<taskId>`. */
  readonly path: string;
  /** Payload length in bytes, when known. */
  readonly size?: number;
}

/**
 * One stored value (the `single` and `flowInput` shapes): read from the peer (`discovery`, key
 * `taskId`) when advertised, else from `storageInfo.path`; then take the dotted `path` inside it.
 */
export interface StorageLinkSingle {
  /** Where the value lives in storage. */
  readonly storageInfo?: StorageInfoRef;
  /** Dotted path inside the value; `''` or absent = the whole value. */
  readonly path?: string;
  /** The producer's result metadata (not used for resolution). */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** The producer's data server, when it advertised one. */
  readonly discovery?: DiscoveryInfo;
  /** The producer's task id: the key for its data server. */
  readonly taskId?: string;
}

/**
 * Several results held by one peer, grouped by the pipeline-driver (`uniqueDiscovery`); it has no
 * `storageInfo`: a task the peer cannot serve is read from `<cluster>-hkube/<jobId>/<taskId>`.
 */
export interface StorageLinkGroupedPeer {
  /** The peer holding the results. */
  readonly discovery: DiscoveryInfo;
  /** Task ids of the results, in order. */
  readonly tasks: readonly string[];
  /** Dotted path inside each result. */
  readonly path?: string;
  /** The producers' result metadata (not used for resolution). */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** One entry of a storage link. */
export type StorageLink = StorageLinkSingle | StorageLinkGroupedPeer;

/**
 * `initialize.storage`: key → one link, or an array of links whose value is the array of the
 * fetched values (a grouped-peer link contributes one value per task).
 */
export type StorageLinks = Readonly<Record<string, StorageLink | readonly StorageLink[] | null | undefined>>;

/**
 * Shape information for one save path: `{type:'array', size}` for arrays, `{type: typeof v}` otherwise.
 * (A type alias rather than an interface, so that it is assignable to index-signature types.)
 */
export type MetadataEntry = {
  /** `array`, or the JS `typeof` of the value. */
  readonly type: string;
  /** Number of items, for arrays. */
  readonly size?: number;
};

/**
 * What a wrapper reports in `storing` for a result it wrote (before any `discovery`/`taskId` is
 * added). A type alias, so that it is assignable to `@hkube-ts/protocol`'s `StorageDescriptor`.
 */
export type StoringDescriptor = {
  /** Where the result was written; `size` is the payload length without the 8-byte header. */
  readonly storageInfo: { readonly path: string; readonly size: number };
  /** One entry per `info.savePaths` item found in `{ [nodeName]: result }`. */
  readonly metadata: Readonly<Record<string, MetadataEntry>>;
};
