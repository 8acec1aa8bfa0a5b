/**
 * Lazy loading of the optional `zeromq` package: only a ZeroMQ transport needs it, and an algorithm
 * image without streaming (or a platform without the native addon) must still run.
 *
 * @module
 */
import type * as ZeroMq from 'zeromq';
import { ZeroMqUnavailableError } from '../errors.js';

/** The `zeromq` 6 module. */
export type ZeroMqModule = typeof ZeroMq;

const MODULE_NAME = 'zeromq';
let loading: Promise<ZeroMqModule> | undefined;

/** Imports `zeromq` once; rejects with `ZeroMqUnavailableError` when it is missing or does not load. */
export function loadZeroMq(): Promise<ZeroMqModule> {
  loading ??= import(MODULE_NAME).then(
    (module: ZeroMqModule) => module,
    (cause: unknown) => {
      loading = undefined; // let a later attempt retry (e.g. after installing the package)
      throw new ZeroMqUnavailableError(MODULE_NAME, { cause });
    },
  );
  return loading;
}

/** The `code` of a zeromq error (`EAGAIN` on a receive timeout, …), if it has one. */
export function zmqErrorCode(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}
