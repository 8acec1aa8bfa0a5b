/**
 * The reply side of HKube's peer data server (data-plane spec §3.2): `2 × N` frames
 * `[header_1, payload_1, …]` in request order, the `hkube_error` pairs a server sends for unknown
 * task ids and undecodable requests, and a never-throwing reader of a reply.
 *
 * @module
 */
import type { Codec } from '../codecs/types.js';
import { PeerMessageError, type ProtocolError } from '../errors/index.js';
import { decodeStoredPayload, type HeaderedPayload } from '../stored/framing.js';
import { DATA_TYPE, createHeader } from '../stored/header.js';

/** The `hkube_error.code` values HKube's peer servers and clients use. */
export type PeerErrorCode = 'notAvailable' | 'unknown';

/** The `hkube_error` code of a task the server does not hold. */
export const PEER_NOT_AVAILABLE: PeerErrorCode = 'notAvailable';

/** The `hkube_error` code of a request the server could not read. */
export const PEER_UNKNOWN_ERROR: PeerErrorCode = 'unknown';

function errorPair(code: PeerErrorCode, message: string, codec: Codec): HeaderedPayload {
  return { header: createHeader(DATA_TYPE.encoded, codec.protocolType), payload: codec.encode({ hkube_error: { code, message } }) };
}

/**
 * The pair a server sends for a task id it does not hold: header `(encoded, DISCOVERY protocol)` +
 * `encode({hkube_error: {code: 'notAvailable', message: 'taskId notAvailable'}})`.
 */
export function notAvailablePair(codec: Codec): HeaderedPayload {
  return errorPair(PEER_NOT_AVAILABLE, 'taskId notAvailable', codec);
}

/** The single pair a server sends for a request it cannot decode, whatever the number of tasks asked. */
export function unknownErrorPair(message: string, codec: Codec): HeaderedPayload {
  return errorPair(PEER_UNKNOWN_ERROR, message, codec);
}

/** Flattens pairs into the reply's frames: `[header_1, payload_1, header_2, payload_2, …]` (no copy). */
export function replyFrames(pairs: readonly HeaderedPayload[]): Buffer[] {
  const frames: Buffer[] = [];
  for (const pair of pairs) frames.push(pair.header, pair.payload);
  return frames;
}

/** One task of a parsed reply. */
export type PeerReplyItem =
  | {
      readonly ok: true;
      /** The decoded value (raw payloads are returned as a view of the frame). */
      readonly value: unknown;
      /** The payload length in bytes. */
      readonly size: number;
    }
  | {
      readonly ok: false;
      /** The peer's `hkube_error.code`, or `invalid` when the pair itself could not be read. */
      readonly code: string;
      /** What went wrong. */
      readonly error: ProtocolError | { readonly message: string };
    };

function hkubeError(value: unknown): { code: string; message: string } | undefined {
  if (typeof value !== 'object' || value === null || !('hkube_error' in value)) return undefined;
  const error = (value as { hkube_error?: unknown }).hkube_error;
  if (typeof error !== 'object' || error === null) return { code: PEER_UNKNOWN_ERROR, message: 'hkube_error' };
  const { code, message } = error as { code?: unknown; message?: unknown };
  return { code: typeof code === 'string' ? code : PEER_UNKNOWN_ERROR, message: typeof message === 'string' ? message : String(code) };
}

function readPair(header: Uint8Array | undefined, payload: Uint8Array | undefined, fallback: Codec): PeerReplyItem {
  if (!(header instanceof Uint8Array) || !(payload instanceof Uint8Array)) {
    return { ok: false, code: 'invalid', error: new PeerMessageError('reply', 'a frame is not binary data') };
  }
  // The payload is decoded with the codec header byte 3 names (the Java rule, §3.6): a peer whose
  // STORAGE_ENCODING differs from our DISCOVERY_ENCODING is still read correctly.
  const decoded = decodeStoredPayload(payload, header.byteLength === 0 ? undefined : header, fallback);
  if (!decoded.ok) return { ok: false, code: 'invalid', error: new PeerMessageError('reply', 'a payload cannot be decoded', { cause: decoded.error }) };
  const error = hkubeError(decoded.value);
  if (error !== undefined) return { ok: false, code: error.code, error: { message: error.message } };
  return { ok: true, value: decoded.value, size: payload.byteLength };
}

/**
 * Reads a reply to a request for `expected` tasks. Never throws; always returns `expected` items in
 * request order:
 * - `2 × expected` frames: one item per header/payload pair;
 * - exactly one pair for several tasks (the server's `unknown` answer to an undecodable request):
 *   that pair's outcome, an error, for every task;
 * - anything else: an `invalid` failure for every task.
 *
 * @example
 * ```ts
 * const items = parsePeerReply(frames, taskIds.length, getCodec('msgpack'));
 * ```
 */
export function parsePeerReply(frames: readonly Uint8Array[], expected: number, fallback: Codec): PeerReplyItem[] {
  const all = (item: PeerReplyItem): PeerReplyItem[] => Array.from({ length: expected }, () => item);
  if (frames.length === 2 * expected) {
    return Array.from({ length: expected }, (_, i) => readPair(frames[2 * i], frames[2 * i + 1], fallback));
  }
  if (frames.length === 2) {
    const item = readPair(frames[0], frames[1], fallback);
    if (!item.ok) return all(item);
  }
  return all({ ok: false, code: 'invalid', error: new PeerMessageError('reply', `${frames.length} frames for ${expected} tasks`) });
}

