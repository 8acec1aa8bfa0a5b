export { HkubeError, ensureError, type HkubeErrorOptions } from './base.js';
export * from './protocol-errors.js';
export { ok, fail, type DecodeResult } from './result.js';
