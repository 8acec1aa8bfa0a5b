export * from './request.js';
export * from './reply.js';
