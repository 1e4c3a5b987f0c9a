export * from './errors.js';
export * from './adapter.js';
export * from './plugin.js';
export * from './intent.js';
export * from './http.js';
export * from './secrets.js';
export type * from '../model/index.js';
export * from './net.js';
export * from './normal.js';
