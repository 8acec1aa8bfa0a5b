export * from './header.js';
export { encodeStored, decodeStoredPayload, decodeStoredBlob, type HeaderedPayload } from './framing.js';
