/**
 * `@hkube-ts/protocol`: the wire of HKube's worker ⇄ algorithm protocol, with no I/O.
 *
 * - typed messages in both directions and their validation ({@link parseWorkerMessage},
 *   {@link parseAlgorithmMessage});
 * - socket framing per encoding ({@link createSocketCodec});
 * - value codecs ({@link getCodec}) and the 8-byte `HK` storage header ({@link encodeStored},
 *   {@link decodeStoredBlob}, {@link decodeStoredPayload});
 * - the peer data server's frames ({@link encodePeerRequest}, {@link parsePeerReply});
 * - environment variable names and defaults ({@link ENV}, {@link ENV_DEFAULTS});
 * - the error classes shared by every hkube-ts package ({@link HkubeError}, {@link ProtocolError}).
 *
 * @packageDocumentation
 */
export * from './errors/index.js';
export * from './codecs/index.js';
export * from './stored/index.js';
export * from './peer/index.js';
export * from './socket/frame-codec.js';
export * from './socket/url.js';
export * from './messages/index.js';
export * from './env/index.js';
export * from './streaming/index.js';
