/**
 * The streaming of one task: {@link StreamSession} for `kind: 'stream'` tasks, {@link DebugStreamTunnel}
 * under the debug relay, and the input hub both share.
 *
 * @module
 */
export { StreamSession, type StreamSessionOptions, type DrainOptions } from './stream-session.js';
export { DebugStreamTunnel, type DebugStreamTunnelOptions } from './debug-tunnel.js';
export { InputHub, type InputContext } from './input-hub.js';
export { resolveFlow, encodeStreamValue, decodeStreamValue, type FlowSettings } from './routing.js';
export { StreamSessionError, StreamingNeedsStorageV3Error, StreamMessageDecodeError, StreamingNotConfiguredError, type StreamSessionErrorCode } from './errors.js';
