import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/**
 * A process that keeps ~40 MB alive while it makes garbage that survives long enough to be
 * promoted (as an import's batches do), and prints the largest heap V8 reserved meanwhile.
 */
async function peakHeapMb(growthPercent: number): Promise<number> {
  const heap = path.join(import.meta.dirname, 'heap.ts');
  const script = `
    const { limitHeapGrowth } = await import(${JSON.stringify(heap)});
    limitHeapGrowth(${growthPercent});
    const live = Array.from({ length: 300_000 }, (_, i) => ({ i, s: 'live ' + i }));
    let batch = [];
    let peak = 0;
    for (let i = 0; i < 6_000_000; i++) {
      batch.push({ i, s: 'row ' + i });
      if (batch.length === 100_000) batch = [];
      if (i % 50_000 === 0) peak = Math.max(peak, process.memoryUsage().heapTotal);
    }
    console.log(Math.round(peak / 2 ** 20), live.length);
  `;
  const { stdout } = await run(process.execPath, [
    '--import',
    'tsx',
    '--input-type=module',
    '-e',
    script,
  ]);
  return Number(stdout.split(' ')[0]);
}

describe('limitHeapGrowth', () => {
  it('keeps the heap near what is alive instead of letting garbage pile up', async () => {
    const [unlimited, limited] = [await peakHeapMb(0), await peakHeapMb(20)];
    expect(unlimited).toBeGreaterThan(0);
    expect(limited).toBeLessThan(unlimited * 0.7);
  }, 60_000);
});
