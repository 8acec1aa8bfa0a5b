/**
 * Environment variables: names, defaults and validating readers (worker-protocol §9).
 *
 * @module
 */

export * from './names.js';
export * from './worker.js';
export * from './streaming.js';
export * from './s3.js';
export * from './discovery.js';
