#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so `npm start` and `npx pixelunion` need no build step.

// libuv's thread pool runs sharp's image work and all file I/O. With its default of four
// threads, the thumbnails in progress leave uploads and job bookkeeping waiting for a thread;
// the size must be set before anything uses the pool, hence here, first.
process.env.UV_THREADPOOL_SIZE ??= '16';
const { register } = await import('tsx/esm/api');

register();
await import('../server/src/main.ts');
