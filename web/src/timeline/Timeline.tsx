import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { timeline } from '../api/endpoints';
import type { View } from '../api/types';
import { useUploadsDone } from '../upload/UploadContext';
import { Viewer, type ViewerChange } from '../viewer/Viewer';
import { estimateMonthHeight, layoutMonth, type LayoutOptions, type MonthLayout } from './layout';
import { MonthSection, type MonthBox } from './MonthSection';
import { Scrubber } from './Scrubber';
import { timelineScroll } from './scrollSpeed';
import { idsInRange } from './selectionRange';
import { SelectionBar, type BulkChange } from './SelectionBar';
import { SlotKeys } from './slotKeys';
import { useSelection } from './useSelection';
import { useElementSize } from './useElementSize';
import { useTimeline } from './useTimeline';

const overscanPx = 800;
// The rendered window follows the scroll in steps: between two renders the overscan keeps the
// screen covered, and most scroll frames render nothing at all.
const renderStepPx = overscanPx / 4;

/** The virtualised, justified timeline of one view (timeline, favourites, archive, trash). */
export function Timeline({ view, emptyText }: { view: View; emptyText: string }) {
  const uploadsDone = useUploadsDone();
  const data = useTimeline(view, uploadsDone);
  const { element: scroller, ref: scrollerRef, size } = useElementSize<HTMLDivElement>();
  // The scroll position the rendered rows were chosen for (see renderStepPx).
  const [windowTop, setWindowTop] = useState(0);
  const renderedAt = useRef(0);
  const [openId, setOpenId] = useState<string | null>(null);

  const phone = size.width < 600;
  // Room on the right for the scrubber.
  const padding = phone ? { left: 6, right: 34 } : { left: 24, right: 56 };
  const options: LayoutOptions = useMemo(() => {
    const width = Math.max(100, size.width - (phone ? 40 : 80));
    return { width, rowHeight: phone ? 110 : 200, gap: 4 };
  }, [size.width, phone]);

  const layouts = useRef(
    new Map<string, { page: unknown; options: LayoutOptions; layout: MonthLayout }>(),
  );
  // The exact height of every month laid out once, kept when its page is dropped (useTimeline):
  // a month loaded again must not move what is on screen.
  const heights = useRef(
    new Map<string, { options: LayoutOptions; count: number; height: number }>(),
  );
  const months: MonthBox[] = useMemo(() => {
    let top = 0;
    let flatStart = 0;
    return (data.buckets ?? []).map((b) => {
      const page = data.pages.get(b.bucket);
      let layout: MonthLayout | null = null;
      if (page) {
        const cached = layouts.current.get(b.bucket);
        if (cached?.page === page && cached.options === options) layout = cached.layout;
        else {
          layout = layoutMonth(page, options);
          layouts.current.set(b.bucket, { page, options, layout });
          heights.current.set(b.bucket, { options, count: b.count, height: layout.height });
        }
      } else layouts.current.delete(b.bucket);
      const known = heights.current.get(b.bucket);
      const height = layout
        ? layout.height
        : known?.options === options && known.count === b.count
          ? known.height
          : estimateMonthHeight(b.count, options);
      const box = { bucket: b.bucket, count: b.count, top, height, layout, flatStart };
      top += height;
      if (page) flatStart += page.ids.length;
      return box;
    });
  }, [data.buckets, data.pages, options]);
  const totalHeight = months.reduce((sum, m) => sum + m.height, 0);

  const flatIds = useMemo(
    () => months.flatMap((m) => data.pages.get(m.bucket)?.ids ?? []),
    [months, data.pages],
  );
  const selection = useSelection({
    at: (index) => {
      for (const m of months) {
        const ids = data.pages.get(m.bucket)?.ids;
        if (ids && index >= m.flatStart && index < m.flatStart + ids.length) {
          return { id: ids[index - m.flatStart] ?? '', bucket: m.bucket };
        }
      }
      return undefined;
    },
    between: (from, to) =>
      idsInRange(
        months.map((m) => m.bucket),
        (bucket) => data.pages.get(bucket)?.ids,
        async (bucket) => (await timeline.bucket(bucket, view)).ids,
        from,
        to,
      ),
  });

  // Keep what is on screen in place when months above it change height (loaded, or edited).
  const previous = useRef<{ months: MonthBox[]; scrollTop: number } | null>(null);
  useLayoutEffect(() => {
    const element = scroller.current;
    const prev = previous.current;
    previous.current = { months, scrollTop: element?.scrollTop ?? 0 };
    if (!element || !prev || element.scrollTop === 0) return;
    const anchor = prev.months.find((m) => m.top + m.height > element.scrollTop);
    if (!anchor) return;
    const now = months.find((m) => m.bucket === anchor.bucket);
    if (!now) return;
    const delta = now.top - anchor.top;
    if (delta !== 0) {
      element.scrollTop += delta;
      previous.current.scrollTop = element.scrollTop;
      renderedAt.current = element.scrollTop;
      setWindowTop(element.scrollTop);
    }
  }, [months]);

  const viewTop = windowTop - overscanPx;
  const viewBottom = windowTop + size.height + overscanPx;
  const visible = months.filter((m) => m.top + m.height > viewTop && m.top < viewBottom);
  // Tile keys per month on screen (slotKeys.ts); a month that leaves the window starts afresh.
  const [slotKeys] = useState(() => new Map<string, SlotKeys>());
  for (const bucket of slotKeys.keys()) {
    if (!visible.some((m) => m.bucket === bucket)) slotKeys.delete(bucket);
  }
  const slotsOf = (bucket: string): SlotKeys => {
    let slots = slotKeys.get(bucket);
    if (!slots) {
      slots = new SlotKeys();
      slotKeys.set(bucket, slots);
    }
    return slots;
  };

  const clearSelection = selection.clear;
  const selecting = selection.selected.size > 0;
  useEffect(() => {
    if (!selecting || openId) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') clearSelection();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [selecting, openId, clearSelection]);

  const { load, show } = data;
  useEffect(() => {
    show(visible.filter((m) => !data.pageErrors.has(m.bucket)).map((m) => m.bucket));
  });

  const onScroll = () => {
    const element = scroller.current;
    if (!element) return;
    timelineScroll.note(element.scrollTop, performance.now());
    if (Math.abs(element.scrollTop - renderedAt.current) < renderStepPx) return;
    renderedAt.current = element.scrollTop;
    setWindowTop(element.scrollTop);
  };

  const jump = useCallback(
    (bucket: string) => {
      const month = months.find((m) => m.bucket === bucket);
      if (month && scroller.current) scroller.current.scrollTop = month.top;
    },
    [months],
  );

  const flatRef = useRef(flatIds);
  flatRef.current = flatIds;
  const openIndex = useCallback((index: number) => {
    setOpenId(flatRef.current[index] ?? null);
  }, []);

  const applyChange = (ids: string[], change: BulkChange | ViewerChange) => {
    if (change === 'none') return;
    const set = new Set(ids);
    if (change === 'remove' || (view === 'favorites' && 'favorite' in change && !change.favorite)) {
      data.patch(set, 'remove');
    } else if ('favorite' in change) {
      data.patch(set, change);
    }
    data.reload();
  };

  const allFavorite = (ids: ReadonlySet<string>) => {
    let found = 0;
    for (const page of data.pages.values()) {
      page.ids.forEach((id, i) => {
        if (ids.has(id) && page.favorites[i]) found++;
      });
    }
    return found === ids.size;
  };

  if (data.error) {
    return (
      <div className="center-message" role="alert">
        <p>Could not load the timeline: {data.error}</p>
        <button type="button" onClick={data.reload}>
          Try again
        </button>
      </div>
    );
  }
  if (!data.buckets) return <p className="center-message">Loading photos…</p>;

  return (
    <div className="timeline-wrap">
      {selection.selected.size > 0 && (
        <SelectionBar
          view={view}
          ids={[...selection.selected]}
          allFavorite={allFavorite(selection.selected)}
          onClear={selection.clear}
          onChanged={applyChange}
        />
      )}
      <div className="timeline-body">
        <div className="timeline" ref={scrollerRef} onScroll={onScroll} aria-label="Photos">
          {data.buckets.length === 0 && <p className="center-message">{emptyText}</p>}
          <div className="timeline-content" style={{ height: totalHeight }}>
            {visible.map((m) => (
              <MonthSection
                key={m.bucket}
                month={m}
                page={data.pages.get(m.bucket)}
                error={data.pageErrors.get(m.bucket)}
                viewTop={viewTop}
                viewBottom={viewBottom}
                padding={padding}
                selected={selection.selected}
                slots={slotsOf(m.bucket)}
                onOpen={openIndex}
                onToggle={selection.toggle}
                onSelectDay={selection.setMany}
              />
            ))}
          </div>
        </div>
        <Scrubber
          months={months}
          totalHeight={totalHeight}
          scroller={scroller}
          viewportHeight={size.height}
          onJump={jump}
        />
      </div>
      {openId && (
        <Viewer
          ids={flatIds}
          id={openId}
          view={view}
          onNavigate={(id) => {
            setOpenId(id);
            const month = months.find((m) => data.pages.get(m.bucket)?.ids.includes(id));
            const i = month ? months.indexOf(month) : -1;
            for (const near of [months[i - 1], months[i + 1]])
              if (near && !near.layout) load(near.bucket);
          }}
          onClose={() => {
            setOpenId(null);
          }}
          onChanged={applyChange}
        />
      )}
    </div>
  );
}
