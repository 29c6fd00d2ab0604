import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from '../api/client';
import { timeline } from '../api/endpoints';
import type { BucketPage, BucketSummary, View } from '../api/types';

export interface TimelineData {
  buckets: BucketSummary[] | null;
  error: string | null;
  pages: ReadonlyMap<string, BucketPage>;
  pageErrors: ReadonlyMap<string, string>;
  load: (bucket: string) => void;
  /** The months on screen: loaded if needed, and never evicted while there. */
  show: (buckets: readonly string[]) => void;
  reload: () => void;
  /** Applies a change to loaded pages at once, before the server's answer is re-read. */
  patch: (ids: ReadonlySet<string>, change: 'remove' | { favorite: boolean }) => void;
}

// Loaded months beyond this many assets are dropped, least recently shown first: memory (and
// the garbage collector's pauses while scrolling) stays bounded whatever the library's size.
// A dropped month keeps its height (Timeline.tsx) and is loaded again when it comes back.
export const maxLoadedAssets = 8000;

/** Drops pages until at most `max` assets are loaded: least recently used first, never `keep`. */
export function evictPages(
  pages: Map<string, BucketPage>,
  lastUsed: ReadonlyMap<string, number>,
  keep: ReadonlySet<string>,
  max = maxLoadedAssets,
): Map<string, BucketPage> {
  let total = 0;
  for (const page of pages.values()) total += page.ids.length;
  if (total <= max) return pages;
  const candidates = [...pages.keys()]
    .filter((bucket) => !keep.has(bucket))
    .sort((a, b) => (lastUsed.get(a) ?? 0) - (lastUsed.get(b) ?? 0));
  for (const bucket of candidates) {
    if (total <= max) break;
    total -= pages.get(bucket)?.ids.length ?? 0;
    pages.delete(bucket);
  }
  return pages;
}

export function useTimeline(view: View, refreshKey: number): TimelineData {
  const [buckets, setBuckets] = useState<BucketSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pages, setPages] = useState<ReadonlyMap<string, BucketPage>>(new Map());
  const [pageErrors, setPageErrors] = useState<ReadonlyMap<string, string>>(new Map());
  const inFlight = useRef(new Set<string>());
  // Loaded months to read again (after an upload or an edit) while still showing the old page.
  const stale = useRef(new Set<string>());
  const generation = useRef(0);
  const [reloads, setReloads] = useState(0);
  const pagesRef = useRef(pages);
  pagesRef.current = pages;
  const lastUsed = useRef(new Map<string, number>());
  const clock = useRef(0);
  const onScreen = useRef<ReadonlySet<string>>(new Set());

  useEffect(() => {
    const gen = ++generation.current;
    inFlight.current.clear();
    setError(null);
    timeline.buckets(view).then(
      (list) => {
        if (gen !== generation.current) return;
        setBuckets(list);
        // Keep loaded pages whose count did not change (no flash of placeholders on refresh).
        setPages((old) => {
          const next = new Map<string, BucketPage>();
          for (const b of list) {
            const page = old.get(b.bucket);
            if (page?.ids.length === b.count) next.set(b.bucket, page);
          }
          stale.current = new Set(next.keys());
          return next;
        });
        setPageErrors(new Map());
      },
      (err: unknown) => {
        if (gen === generation.current) setError(describeError(err));
      },
    );
  }, [view, refreshKey, reloads]);

  useEffect(() => {
    setBuckets(null);
    setPages(new Map());
  }, [view]);

  const load = useCallback(
    (bucket: string) => {
      lastUsed.current.set(bucket, ++clock.current);
      if (inFlight.current.has(bucket)) return;
      if (pagesRef.current.has(bucket) && !stale.current.has(bucket)) return;
      inFlight.current.add(bucket);
      const gen = generation.current;
      timeline.bucket(bucket, view).then(
        (page) => {
          if (gen !== generation.current) return;
          inFlight.current.delete(bucket);
          stale.current.delete(bucket);
          setPages((old) =>
            evictPages(
              new Map(old).set(bucket, page),
              lastUsed.current,
              new Set([...onScreen.current, bucket]),
            ),
          );
        },
        (err: unknown) => {
          if (gen !== generation.current) return;
          inFlight.current.delete(bucket);
          setPageErrors((old) => new Map(old).set(bucket, describeError(err)));
        },
      );
    },
    [view],
  );

  const show = useCallback(
    (buckets: readonly string[]) => {
      onScreen.current = new Set(buckets);
      for (const bucket of buckets) load(bucket);
    },
    [load],
  );

  const patch = useCallback(
    (ids: ReadonlySet<string>, change: 'remove' | { favorite: boolean }) => {
      setPages((old) => {
        const next = new Map<string, BucketPage>();
        for (const [bucket, page] of old) {
          if (!page.ids.some((id) => ids.has(id))) {
            next.set(bucket, page);
            continue;
          }
          if (change === 'remove') {
            const keep = page.ids.map((id) => !ids.has(id));
            const pick = <T>(values: T[]) => values.filter((_, i) => keep[i]);
            next.set(bucket, {
              bucket,
              ids: pick(page.ids),
              types: pick(page.types),
              localDateTimes: pick(page.localDateTimes),
              ratios: pick(page.ratios),
              thumbhashes: pick(page.thumbhashes),
              durations: pick(page.durations),
              favorites: pick(page.favorites),
            });
          } else {
            next.set(bucket, {
              ...page,
              favorites: page.favorites.map((f, i) =>
                ids.has(page.ids[i] ?? '') ? change.favorite : f,
              ),
            });
          }
        }
        return next;
      });
      if (change === 'remove') {
        setBuckets((old) =>
          old
            ? old.filter((b) => {
                const page = pages.get(b.bucket);
                return !page || page.ids.some((id) => !ids.has(id));
              })
            : old,
        );
      }
    },
    [pages],
  );

  const reload = useCallback(() => {
    setReloads((n) => n + 1);
  }, []);

  return { buckets, error, pages, pageErrors, load, show, reload, patch };
}
