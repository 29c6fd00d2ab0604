import { describe, expect, it } from 'vitest';
import { idsInRange } from '../src/timeline/selectionRange.js';

// Months newest first, as the timeline shows them; each month's ids in timeline order.
const months: Record<string, string[]> = {
  '2024-03': ['m1', 'm2', 'm3'],
  '2024-02': ['f1', 'f2'],
  '2024-01': ['j1', 'j2', 'j3'],
  '2023-12': ['d1'],
};
const buckets = Object.keys(months);

function sources(loaded: string[]) {
  const fetched: string[] = [];
  return {
    fetched,
    loadedIds: (bucket: string) => (loaded.includes(bucket) ? months[bucket] : undefined),
    fetchIds: (bucket: string) => {
      fetched.push(bucket);
      return Promise.resolve(months[bucket] ?? []);
    },
  };
}

describe('idsInRange (shift-click ranges over the whole timeline)', () => {
  it('selects from one tile to the other within a month, in either direction', async () => {
    const s = sources(buckets);
    const range = (from: string, to: string) =>
      idsInRange(
        buckets,
        s.loadedIds,
        s.fetchIds,
        { id: from, bucket: '2024-01' },
        { id: to, bucket: '2024-01' },
      );
    expect(await range('j1', 'j3')).toEqual(['j1', 'j2', 'j3']);
    expect(await range('j3', 'j2')).toEqual(['j2', 'j3']);
    expect(s.fetched).toEqual([]);
  });

  it('reads the months between that are not loaded, and no other', async () => {
    const s = sources(['2024-03', '2024-01']);
    const ids = await idsInRange(
      buckets,
      s.loadedIds,
      s.fetchIds,
      { id: 'm2', bucket: '2024-03' },
      { id: 'j2', bucket: '2024-01' },
    );
    expect(ids).toEqual(['m2', 'm3', 'f1', 'f2', 'j1', 'j2']);
    expect(s.fetched).toEqual(['2024-02']);
  });

  it('reads an end month that was dropped since its tile was clicked', async () => {
    const s = sources(['2023-12']);
    const ids = await idsInRange(
      buckets,
      s.loadedIds,
      s.fetchIds,
      { id: 'f2', bucket: '2024-02' },
      { id: 'd1', bucket: '2023-12' },
    );
    expect(ids).toEqual(['f2', 'j1', 'j2', 'j3', 'd1']);
    expect(s.fetched.sort()).toEqual(['2024-01', '2024-02']);
  });

  it('gives only the clicked tile when the other end is gone', async () => {
    const s = sources(buckets);
    expect(
      await idsInRange(
        buckets,
        s.loadedIds,
        s.fetchIds,
        { id: 'deleted', bucket: '2024-02' },
        { id: 'j1', bucket: '2024-01' },
      ),
    ).toEqual(['j1']);
    expect(
      await idsInRange(
        buckets,
        s.loadedIds,
        s.fetchIds,
        { id: 'f1', bucket: '1999-01' },
        { id: 'j1', bucket: '2024-01' },
      ),
    ).toEqual(['j1']);
  });
});
