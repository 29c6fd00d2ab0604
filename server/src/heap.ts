import v8 from 'node:v8';

/**
 * On a machine with memory to spare V8 lets the old generation grow to up to four times what
 * survived its last full collection, so a long Takeout import sits on hundreds of megabytes of
 * garbage (docs/benchmarks.md, takeout). A fixed growth factor keeps the server near what it
 * really holds, for some more collections. V8 reads the flag at every collection, so setting it
 * after the start takes effect; 0 leaves V8's own rule.
 */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
