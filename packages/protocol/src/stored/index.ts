export * from './header.js';
export { encodeStored, decodeStoredPayload, decodeStoredBlob, type HeaderedPayload } from './framing.js';
export { taskOutputPath, flowInputPath, jobResultPath, jobExecutionPath } from './paths.js';
