/**
 * The ZeroMQ peer transport of HKube's data plane (data-plane spec §3): the data server, the client
 * and the wrapper-level glue. zeromq is loaded lazily; without it everything goes through storage.
 *
 * @module
 */
export * from './errors.js';
export { PeerDataServer, SERVING_WINDOW_MS, type PeerDataServerOptions, type PeerServerStats } from './server.js';
export { ZmqPeerClient, type ZmqPeerClientOptions, type LocalPeer } from './client.js';
export { PeerPlane, type PeerPlaneOptions } from './peer-plane.js';
export { ServedOutputCache } from './served-cache.js';
export { loadZeromq, type Zeromq, type ZeromqLoader } from './zeromq.js';
export { freePortPair } from './free-ports.js';
