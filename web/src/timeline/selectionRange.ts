/** A tile at one end of a shift-click range: its asset and the month it is in. */
export interface RangeEnd {
  id: string;
  bucket: string;
}

/**
 * The ids from one end of a range to the other in timeline order, both included, across every
 * month between them. Months whose page is not loaded (dropped to bound the page's memory, or
 * never scrolled to) are fetched, so a range is whole whatever was scrolled past.
 */
export async function idsInRange(
  buckets: readonly string[],
  loadedIds: (bucket: string) => readonly string[] | undefined,
  fetchIds: (bucket: string) => Promise<readonly string[]>,
  from: RangeEnd,
  to: RangeEnd,
): Promise<string[]> {
  const a = buckets.indexOf(from.bucket);
  const b = buckets.indexOf(to.bucket);
  if (a < 0 || b < 0) return [to.id];
  const months = buckets.slice(Math.min(a, b), Math.max(a, b) + 1);
  const lists = await Promise.all(months.map(async (m) => loadedIds(m) ?? (await fetchIds(m))));
  const ids = lists.flat();
  const i = ids.indexOf(from.id);
  const j = ids.indexOf(to.id);
  // An end no longer in its month (deleted meanwhile): only the tile clicked.
  if (i < 0 || j < 0) return [to.id];
  return ids.slice(Math.min(i, j), Math.max(i, j) + 1);
}
