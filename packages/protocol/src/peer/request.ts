/**
 * The request side of HKube's peer data server (data-plane spec §3.2): the `ping`/`pong` liveness
 * frames and the `{tasks: [...]}` request, encoded plain (no `HK` header) with `DISCOVERY_ENCODING`.
 *
 * @module
 */
import { asBuffer } from '../codecs/bytes.js';
import type { Codec } from '../codecs/types.js';
import { fail, ok, PeerMessageError, type DecodeResult } from '../errors/index.js';

/** The single frame a client sends to `DISCOVERY_PORT + 1` (and Python also answers on the data port). */
export const PEER_PING = 'ping';

/** The single frame a data server answers to {@link PEER_PING}. */
export const PEER_PONG = 'pong';

const PING_BYTES = Buffer.from(PEER_PING, 'ascii');
const PONG_BYTES = Buffer.from(PEER_PONG, 'ascii');

function isExactly(frame: Uint8Array | undefined, expected: Buffer): boolean {
  return frame instanceof Uint8Array && frame.byteLength === expected.length && expected.equals(asBuffer(frame));
}

/** True when `frame` is the ASCII `ping` frame. */
export function isPeerPing(frame: Uint8Array | undefined): boolean {
  return isExactly(frame, PING_BYTES);
}

/** True when `frame` is the ASCII `pong` frame. */
export function isPeerPong(frame: Uint8Array | undefined): boolean {
  return isExactly(frame, PONG_BYTES);
}

/** A decoded peer request: the task ids whose outputs are asked for, in order. */
export interface PeerRequest {
  /** Task ids, possibly repeated; the reply has one header/payload pair per entry. */
  readonly tasks: readonly string[];
}

/**
 * Encodes a peer request: `codec.encode({tasks})`, with no header, as HKube's Node and Python
 * clients send it. Throws `EncodeError` only if the codec fails on strings (it does not).
 *
 * @example
 * ```ts
 * const frame = encodePeerRequest(['green:1', 'green:2'], getCodec('msgpack'));
 * ```
 */
export function encodePeerRequest(taskIds: readonly string[], codec: Codec): Buffer {
  return codec.encode({ tasks: [...taskIds] });
}

/**
 * Decodes a request frame with the server's `DISCOVERY_ENCODING`. Never throws: an undecodable frame
 * or one that is not `{tasks: string[]}` gives a `PeerMessageError` (the server then answers one
 * `unknown` error pair, as HKube's servers do).
 */
export function decodePeerRequest(frame: Uint8Array | undefined, codec: Codec): DecodeResult<PeerRequest> {
  if (!(frame instanceof Uint8Array)) return fail(new PeerMessageError('request', 'no request frame'));
  const decoded = codec.decode(asBuffer(frame));
  if (!decoded.ok) return fail(new PeerMessageError('request', `cannot decode it as ${codec.name}`, { cause: decoded.error }));
  const value = decoded.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(new PeerMessageError('request', 'it is not an object'));
  }
  const tasks = (value as { tasks?: unknown }).tasks;
  if (!Array.isArray(tasks)) return fail(new PeerMessageError('request', 'tasks is not an array'));
  if (!tasks.every((task): task is string => typeof task === 'string')) {
    return fail(new PeerMessageError('request', 'tasks holds a value that is not a string'));
  }
  return ok({ tasks });
}
