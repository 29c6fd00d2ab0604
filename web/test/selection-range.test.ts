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

/** The range between two tiles (`id@bucket`) with only `loaded` months in memory. */
async function range(loaded: string[], from: string, to: string) {
  const fetched: string[] = [];
  const end = (tile: string) => {
    const [id = '', bucket = ''] = tile.split('@');
    return { id, bucket };
  };
  const ids = await idsInRange(
    buckets,
    (bucket) => (loaded.includes(bucket) ? months[bucket] : undefined),
    (bucket) => {
      fetched.push(bucket);
      return Promise.resolve(months[bucket] ?? []);
    },
    end(from),
    end(to),
  );
  return { ids, fetched: fetched.sort() };
}

describe('idsInRange (shift-click ranges over the whole timeline)', () => {
  it('selects from one tile to the other within a month, in either direction', async () => {
    expect(await range(buckets, 'j1@2024-01', 'j3@2024-01')).toEqual({
      ids: ['j1', 'j2', 'j3'],
      fetched: [],
    });
    expect((await range(buckets, 'j3@2024-01', 'j2@2024-01')).ids).toEqual(['j2', 'j3']);
  });

  it('reads the months between that are not loaded, and no other', async () => {
    expect(await range(['2024-03', '2024-01'], 'm2@2024-03', 'j2@2024-01')).toEqual({
      ids: ['m2', 'm3', 'f1', 'f2', 'j1', 'j2'],
      fetched: ['2024-02'],
    });
  });

  it('reads an end month that was dropped since its tile was clicked', async () => {
    expect(await range(['2023-12'], 'f2@2024-02', 'd1@2023-12')).toEqual({
      ids: ['f2', 'j1', 'j2', 'j3', 'd1'],
      fetched: ['2024-01', '2024-02'],
    });
  });

  it('gives only the clicked tile when the other end is gone', async () => {
    expect((await range(buckets, 'deleted@2024-02', 'j1@2024-01')).ids).toEqual(['j1']);
    expect((await range(buckets, 'f1@1999-01', 'j1@2024-01')).ids).toEqual(['j1']);
  });
});
