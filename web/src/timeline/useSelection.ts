import { useCallback, useRef, useState } from 'react';
import type { RangeEnd } from './selectionRange';

export interface Selection {
  selected: ReadonlySet<string>;
  toggle: (index: number, range: boolean) => void;
  setMany: (ids: string[], on: boolean) => void;
  clear: () => void;
}

export interface SelectionEnds {
  /** The tile at an index of the loaded tiles. */
  at: (index: number) => RangeEnd | undefined;
  /** Every id from one tile to another in timeline order (selectionRange.ts). */
  between: (from: RangeEnd, to: RangeEnd) => Promise<string[]>;
}

/** Selected ids; shift adds everything from the last toggled tile to this one. */
export function useSelection(ends: SelectionEnds): Selection {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const anchor = useRef<RangeEnd | null>(null);
  // Read through a ref so that toggle stays the same function (tiles are memoised on it).
  const current = useRef(ends);
  current.current = ends;

  const add = useCallback((ids: readonly string[]) => {
    setSelected((old) => {
      const next = new Set(old);
      for (const id of ids) next.add(id);
      return next;
    });
  }, []);

  const toggle = useCallback(
    (index: number, range: boolean) => {
      const end = current.current.at(index);
      if (!end) return;
      const from = anchor.current;
      anchor.current = end;
      if (range && from) {
        // Loaded months answer at once; months not loaded are read first. If that fails the
        // selection stays as it was, and the same click can be tried again.
        current.current.between(from, end).then(add, () => undefined);
        return;
      }
      setSelected((old) => {
        const next = new Set(old);
        if (next.has(end.id)) next.delete(end.id);
        else next.add(end.id);
        return next;
      });
    },
    [add],
  );

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
