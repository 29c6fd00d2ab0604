import { describe, expect, it } from 'vitest';
import type { BucketPage } from '../src/api/types.js';
import { ScrollSpeed } from '../src/timeline/scrollSpeed.js';
import { evictPages } from '../src/timeline/useTimeline.js';

function page(bucket: string, count: number): BucketPage {
  const ids = Array.from({ length: count }, (_, i) => `${bucket}-${i}`);
  return {
    bucket,
    ids,
    types: ids.map(() => 'image'),
    localDateTimes: ids.map(() => `${bucket}-01T12:00:00`),
    ratios: ids.map(() => 1.5),
    thumbhashes: ids.map(() => null),
    durations: ids.map(() => null),
    favorites: ids.map(() => false),
  };
}

const pagesOf = (...counts: [string, number][]) =>
  new Map(counts.map(([bucket, count]) => [bucket, page(bucket, count)]));

describe('evictPages (the timeline keeps a bounded number of loaded months)', () => {
  it('keeps every page while the total is within the limit', () => {
    const pages = pagesOf(['2024-01', 40], ['2024-02', 60]);
    expect([...evictPages(pages, new Map(), new Set(), 100).keys()]).toEqual([
      '2024-01',
      '2024-02',
    ]);
  });

  it('drops the least recently used pages first until the total fits', () => {
    const pages = pagesOf(['2024-01', 40], ['2024-02', 40], ['2024-03', 40], ['2024-04', 40]);
    const lastUsed = new Map([
      ['2024-01', 3],
      ['2024-02', 1],
      ['2024-03', 2],
      ['2024-04', 4],
    ]);
    const kept = evictPages(pages, lastUsed, new Set(), 100);
    expect([...kept.keys()].sort()).toEqual(['2024-01', '2024-04']);
  });

  it('never drops a page on screen, even when those alone pass the limit', () => {
    const pages = pagesOf(['2024-01', 90], ['2024-02', 90], ['2024-03', 10]);
    const lastUsed = new Map([
      ['2024-01', 1],
      ['2024-02', 2],
      ['2024-03', 3],
    ]);
    const kept = evictPages(pages, lastUsed, new Set(['2024-01', '2024-02']), 100);
    expect([...kept.keys()].sort()).toEqual(['2024-01', '2024-02']);
  });
});

describe('ScrollSpeed (thumbnails wait while the timeline scrolls fast)', () => {
  it('is fast while scroll events come quickly over long distances', () => {
    const speed = new ScrollSpeed();
    speed.note(0, 1000);
    speed.note(240, 1016); // 15,000 px/s
    expect(speed.isFast(1020)).toBe(true);
  });

  it('is slow at reading speed, and once the events stop', () => {
    const speed = new ScrollSpeed();
    speed.note(0, 1000);
    speed.note(20, 1016); // 1,250 px/s
    expect(speed.isFast(1020)).toBe(false);
    speed.note(400, 1032); // 23,750 px/s
    expect(speed.isFast(1040)).toBe(true);
    expect(speed.isFast(1032 + 250)).toBe(false);
  });

  it('takes a jump after a pause (the scrubber) as no speed at all', () => {
    const speed = new ScrollSpeed();
    speed.note(0, 1000);
    speed.note(2_000_000, 5000);
    expect(speed.isFast(5010)).toBe(false);
  });
});
