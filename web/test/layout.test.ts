import { describe, expect, it } from 'vitest';
import type { BucketPage } from '../src/api/types.js';
import { dayLabel, timeLabel } from '../src/timeline/dates.js';
import { estimateMonthHeight, justify, layoutMonth } from '../src/timeline/layout.js';

const options = { width: 1000, rowHeight: 200, gap: 4 };

function page(days: string[], ratios: number[]): BucketPage {
  return {
    bucket: '2023-10',
    ids: ratios.map((_, i) => `a${i}`),
    types: ratios.map(() => 'image'),
    localDateTimes: days,
    ratios,
    thumbhashes: ratios.map(() => null),
    durations: ratios.map(() => null),
    favorites: ratios.map(() => false),
  };
}

describe('the justified layout', () => {
  it('fills every full row to the width exactly, keeping each aspect ratio', () => {
    const ratios = [1.5, 0.75, 1, 1.78, 1.33, 1.5, 0.66, 1, 1.5, 2];
    const rows = justify(ratios, 0, ratios.length, options);
    for (const row of rows.slice(0, -1)) {
      const last = row.tiles.at(-1);
      expect((last?.left ?? 0) + (last?.width ?? 0)).toBeCloseTo(options.width, 6);
      for (const tile of row.tiles) {
        expect(tile.width / row.height).toBeCloseTo(ratios[tile.index] ?? 0, 6);
      }
    }
    const last = rows.at(-1);
    expect(last?.height).toBe(options.rowHeight);
    expect(rows.flatMap((r) => r.tiles.map((t) => t.index))).toEqual(ratios.map((_, i) => i));
  });

  it('starts a new block at each day, below its header', () => {
    const layout = layoutMonth(
      page(['2023-10-05T10:00:00', '2023-10-05T09:00:00', '2023-10-02T08:00:00'], [1.5, 1, 1]),
      options,
    );
    const days = layout.blocks.filter((b) => b.kind === 'day');
    expect(days.map((d) => [d.day, d.start, d.end])).toEqual([
      ['2023-10-05', 0, 2],
      ['2023-10-02', 2, 3],
    ]);
    const tops = layout.blocks.map((b) => b.top);
    expect([...tops].sort((a, b) => a - b)).toEqual(tops);
    expect(layout.height).toBeGreaterThan(tops.at(-1) ?? 0);
  });

  it('estimates a month from its count, growing with it', () => {
    expect(estimateMonthHeight(500, options)).toBeGreaterThan(estimateMonthHeight(50, options));
    expect(estimateMonthHeight(1, options)).toBeGreaterThan(options.rowHeight);
  });

  it('shows the wall-clock date and time, with the offset when known', () => {
    expect(dayLabel('2008-03-15')).toBe('Saturday 15 March 2008');
    expect(timeLabel('2008-03-15T09:52:01', -240)).toBe('09:52:01 (UTC−04:00)');
    expect(timeLabel('2008-05-30T15:56:01', null)).toBe('15:56:01');
  });
});
