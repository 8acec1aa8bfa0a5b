import { HkubeError, type HkubeErrorOptions } from './base.js';

/** Codes of the failures reported by `@hkube-ts/protocol`. */
export type ProtocolErrorCode =
  | 'FRAME_DECODE_FAILED'
  | 'INVALID_MESSAGE'
  | 'UNKNOWN_COMMAND'
  | 'ENCODE_FAILED'
  | 'STORED_DATA_INVALID'
  | 'UNSUPPORTED_ENCODING'
  | 'INVALID_ENVIRONMENT'
  | 'STORAGE_ID_INVALID'
  | 'STREAM_FRAME_INVALID'
  | 'PEER_MESSAGE_INVALID';

/** Base class of every failure to read or write HKube wire data. Decoders return it; they never throw. */
export abstract class ProtocolError extends HkubeError {
  abstract override readonly code: ProtocolErrorCode;
}

/** A frame or blob whose bytes the codec could not decode (truncated, corrupt, not the negotiated encoding). */
export class FrameDecodeError extends ProtocolError {
  readonly code = 'FRAME_DECODE_FAILED' as const;
  /** The encoding that was used to decode. */
  readonly encoding: string;
  /** Length of the input in bytes (or characters for a text frame). */
  readonly length: number;

  constructor(encoding: string, length: number, options: HkubeErrorOptions = {}) {
    const reason = options.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(`cannot decode a ${length}-byte ${encoding} frame${reason}`, options);
    this.encoding = encoding;
    this.length = length;
  }
}

/** A decoded message that is not an object with a string `command`, or whose payload breaks the documented shape. */
export class InvalidMessageError extends ProtocolError {
  readonly code = 'INVALID_MESSAGE' as const;
  /** The command, when the message had a readable one. */
  readonly command: string | undefined;
  /** Dot-path of the offending field (`data.execId`), or `''` for the message itself. */
  readonly path: string;

  constructor(command: string | undefined, path: string, problem: string, options: HkubeErrorOptions = {}) {
    const where = path === '' ? 'message' : path;
    super(`${command === undefined ? 'frame' : `'${command}'`}: ${where} ${problem}`, options);
    this.command = command;
    this.path = path;
  }
}

/** A well-formed message whose command this side of the protocol does not know. Safe to ignore. */
export class UnknownCommandError extends ProtocolError {
  readonly code = 'UNKNOWN_COMMAND' as const;
  /** The unknown command name. */
  readonly command: string;

  constructor(command: string) {
    super(`unknown command '${command}'`);
    this.command = command;
  }
}

/** A value that cannot be represented in the chosen encoding (e.g. a `BigInt`, a circular object). */
export class EncodeError extends ProtocolError {
  readonly code = 'ENCODE_FAILED' as const;
  /** The encoding that refused the value. */
  readonly encoding: string;

  constructor(encoding: string, options: HkubeErrorOptions = {}) {
    const reason = options.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(`cannot encode value as ${encoding}${reason}`, options);
    this.encoding = encoding;
  }
}

/** Stored or peer data with a broken `HK` header (bad data type, header given but too short, …). */
export class StoredDataError extends ProtocolError {
  readonly code = 'STORED_DATA_INVALID' as const;

  constructor(problem: string, options: HkubeErrorOptions = {}) {
    super(`invalid stored data: ${problem}`, options);
  }
}

/** An encoding name that is not `json`, `bson` or `msgpack`. */
export class UnsupportedEncodingError extends ProtocolError {
  readonly code = 'UNSUPPORTED_ENCODING' as const;
  /** The name that was asked for. */
  readonly encoding: string;

  constructor(encoding: string) {
    super(`unsupported encoding '${encoding}' (expected json, bson or msgpack)`);
    this.encoding = encoding;
  }
}

/** An environment variable whose value cannot be used (e.g. a port that is not a number). */
export class InvalidEnvironmentError extends ProtocolError {
  readonly code = 'INVALID_ENVIRONMENT' as const;
  /** The variable's name. */
  readonly variable: string;
  /** The value that was rejected. */
  readonly value: string;

  constructor(variable: string, value: string, expected: string) {
    super(`environment variable ${variable}=${JSON.stringify(value)} is invalid: expected ${expected}`);
    this.variable = variable;
    this.value = value;
  }
}

/** An id used to build a storage path (cluster name, job id, task id) that is empty or not a single path segment. */
export class StorageIdError extends ProtocolError {
  readonly code = 'STORAGE_ID_INVALID' as const;
  /** Which id: `clusterName`, `jobId`, `taskId`, … */
  readonly idName: string;
  /** The rejected value. */
  readonly value: unknown;

  constructor(name: string, value: unknown, reason: string) {
    super(`invalid ${name} ${JSON.stringify(value) ?? String(value)}: ${reason}`);
    this.idName = name;
    this.value = value;
  }
}

/** A peer data-server frame (request or reply, data-plane §3.2) that does not have the documented shape. */
export class PeerMessageError extends ProtocolError {
  readonly code = 'PEER_MESSAGE_INVALID' as const;
  /** Which message: the `{tasks}` request or the header/payload reply. */
  readonly kind: 'request' | 'reply';

  constructor(kind: 'request' | 'reply', problem: string, options: HkubeErrorOptions = {}) {
    super(`invalid peer ${kind}: ${problem}`, options);
    this.kind = kind;
  }
}
