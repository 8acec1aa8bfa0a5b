/**
 * The state every part of one Code API shares.
 *
 * @internal
 * @module
 */

import type { CodeApiData, WorkerChannel } from './channel.js';
import { CodeApiClosedError } from './errors.js';

/** What the request registries of one Code API share. @internal */
export interface CodeApiContext {
  /** The link to the worker. */
  readonly channel: WorkerChannel;
  /** The data plane (storage mode, input writing, result reading). */
  readonly data: CodeApiData;
  /** Next correlation id (one counter for every kind of request). */
  readonly nextId: () => string;
  /** Clock, in milliseconds. */
  readonly now: () => number;
  /** Receives failures no caller can see. */
  readonly onBackgroundError: (error: unknown) => void;
  /** The reason the Code API was closed, or `undefined` while it is open. */
  readonly closedReason: () => string | undefined;
}

/** A {@link CodeApiClosedError} when the Code API is closed, else `undefined`. @internal */
export function closedError(context: CodeApiContext): CodeApiClosedError | undefined {
  const reason = context.closedReason();
  return reason === undefined ? undefined : new CodeApiClosedError(reason);
}
