import { useCallback, useRef, useState } from 'react';

export interface Selection {
  selected: ReadonlySet<string>;
  toggle: (index: number, range: boolean) => void;
  setMany: (ids: string[], on: boolean) => void;
  clear: () => void;
}

/** Selected ids; shift extends from the last toggled tile over the ids in timeline order. */
export function useSelection(orderedIds: string[]): Selection {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const anchor = useRef<string | null>(null);
  // Read through a ref so that toggle stays the same function (tiles are memoised on it).
  const order = useRef(orderedIds);
  order.current = orderedIds;

  const toggle = useCallback((index: number, range: boolean) => {
    const orderedIds = order.current;
    const id = orderedIds[index];
    if (id === undefined) return;
    // Read before setSelected: its updater runs later, after the anchor has moved.
    const anchorIndex = anchor.current === null ? -1 : orderedIds.indexOf(anchor.current);
    setSelected((old) => {
      const next = new Set(old);
      if (range && anchorIndex >= 0) {
        const [from, to] = anchorIndex < index ? [anchorIndex, index] : [index, anchorIndex];
        for (let i = from; i <= to; i++) next.add(orderedIds[i] ?? '');
        next.delete('');
      } else if (next.has(id)) {
        next.delete(id);
      } else {
        next.add(id);
      }
      return next;
    });
    anchor.current = id;
  }, []);

  const setMany = useCallback((ids: string[], on: boolean) => {
    setSelected((old) => {
      const next = new Set(old);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  }, []);

  const clear = useCallback(() => {
    setSelected(new Set());
    anchor.current = null;
  }, []);

  return { selected, toggle, setMany, clear };
}
