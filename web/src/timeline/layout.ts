import type { BucketPage } from '../api/types';

export interface LayoutOptions {
  width: number;
  rowHeight: number;
  gap: number;
}

export const monthHeaderHeight = 56;
export const dayHeaderHeight = 40;

export interface TileBox {
  index: number;
  left: number;
  width: number;
}

export type Block =
  | { kind: 'day'; top: number; height: number; day: string; start: number; end: number }
  | { kind: 'row'; top: number; height: number; tiles: TileBox[] };

export interface MonthLayout {
  height: number;
  blocks: Block[];
}

// Panoramas and very tall crops would make one tile fill a row or vanish.
const clampRatio = (ratio: number) =>
  Number.isFinite(ratio) && ratio > 0 ? Math.min(4, Math.max(0.3, ratio)) : 1;

/** Justified rows: each full row is scaled to fill the width exactly; the last row is not. */
export function justify(
  ratios: number[],
  start: number,
  end: number,
  options: LayoutOptions,
): { height: number; tiles: TileBox[] }[] {
  const { width, rowHeight, gap } = options;
  const rows: { height: number; tiles: TileBox[] }[] = [];
  let rowStart = start;
  let ratioSum = 0;
  const emit = (rowEnd: number, height: number) => {
    const tiles: TileBox[] = [];
    let left = 0;
    for (let i = rowStart; i < rowEnd; i++) {
      const w = clampRatio(ratios[i] ?? 1) * height;
      tiles.push({ index: i, left, width: w });
      left += w + gap;
    }
    rows.push({ height, tiles });
  };
  for (let i = start; i < end; i++) {
    ratioSum += clampRatio(ratios[i] ?? 1);
    const count = i - rowStart + 1;
    const naturalWidth = ratioSum * rowHeight + gap * (count - 1);
    if (naturalWidth >= width) {
      emit(i + 1, (width - gap * (count - 1)) / ratioSum);
      rowStart = i + 1;
      ratioSum = 0;
    }
  }
  if (rowStart < end) emit(end, rowHeight);
  return rows;
}

export const dayOf = (localDateTime: string) => localDateTime.slice(0, 10);

/** The exact layout of a loaded month: a header, then per day a header and justified rows. */
export function layoutMonth(page: BucketPage, options: LayoutOptions): MonthLayout {
  const blocks: Block[] = [];
  let top = monthHeaderHeight;
  let start = 0;
  const n = page.ids.length;
  while (start < n) {
    const day = dayOf(page.localDateTimes[start] ?? '');
    let end = start + 1;
    while (end < n && dayOf(page.localDateTimes[end] ?? '') === day) end++;
    blocks.push({ kind: 'day', top, height: dayHeaderHeight, day, start, end });
    top += dayHeaderHeight;
    for (const row of justify(page.ratios, start, end, options)) {
      blocks.push({ kind: 'row', top, height: row.height, tiles: row.tiles });
      top += row.height + options.gap;
    }
    start = end;
  }
  return { height: top + options.gap * 4, blocks };
}

/** Before a month is loaded: its height guessed from its count, assuming 3:2 photos. */
export function estimateMonthHeight(count: number, options: LayoutOptions): number {
  const perRow = Math.max(1, Math.floor(options.width / (options.rowHeight * 1.5 + options.gap)));
  const rows = Math.ceil(count / perRow);
  const days = Math.min(count, Math.max(1, Math.ceil(count / 12)));
  return (
    monthHeaderHeight +
    rows * (options.rowHeight + options.gap) +
    days * dayHeaderHeight +
    options.gap * 4
  );
}
