import { memo, useEffect, useRef, useState, type PointerEvent, type RefObject } from 'react';
import { monthLabel } from './dates';

interface ScrubberProps {
  months: { bucket: string; top: number }[];
  totalHeight: number;
  /** The timeline's scroller: the thumb follows it without re-rendering the timeline. */
  scroller: RefObject<HTMLElement | null>;
  viewportHeight: number;
  onJump: (bucket: string) => void;
}

/** The date scrubber: months placed by their position in the timeline; drag or click to jump. */
export function Scrubber({ months, totalHeight, scroller, viewportHeight, onJump }: ScrubberProps) {
  const bar = useRef<HTMLDivElement>(null);
  const scrollTop = useScrollTop(scroller);
  const [hover, setHover] = useState<{ y: number; bucket: string } | null>(null);
  const [dragging, setDragging] = useState(false);
  if (months.length === 0 || totalHeight <= viewportHeight) return null;

  const monthAt = (clientY: number) => {
    const rect = bar.current?.getBoundingClientRect();
    if (!rect) return null;
    const y = Math.min(Math.max(clientY - rect.top, 0), rect.height);
    const target = (y / rect.height) * totalHeight;
    let found = months[0];
    for (const m of months) {
      if (m.top <= target) found = m;
      else break;
    }
    return found ? { y, bucket: found.bucket } : null;
  };

  const onMove = (event: PointerEvent) => {
    const at = monthAt(event.clientY);
    setHover(at);
    if (dragging && at) onJump(at.bucket);
  };

  return (
    <div
      className="scrubber"
      ref={bar}
      onPointerDown={(event) => {
        event.currentTarget.setPointerCapture(event.pointerId);
        setDragging(true);
        const at = monthAt(event.clientY);
        if (at) onJump(at.bucket);
      }}
      onPointerMove={onMove}
      onPointerUp={() => {
        setDragging(false);
      }}
      onPointerLeave={() => {
        setHover(null);
      }}
    >
      <div
        className="scrubber-thumb"
        style={{ top: `${(scrollTop / totalHeight) * 100}%` }}
        aria-hidden="true"
      />
      <ScrubberMarks
        months={months}
        totalHeight={totalHeight}
        viewportHeight={viewportHeight}
        onJump={onJump}
      />
      {hover && (
        <div className="scrubber-hover" style={{ top: hover.y }} aria-hidden="true">
          {monthLabel(hover.bucket)}
        </div>
      )}
    </div>
  );
}

/** One mark per month (a year label where there is room); re-rendered only when months change. */
const ScrubberMarks = memo(function ScrubberMarks({
  months,
  totalHeight,
  viewportHeight,
  onJump,
}: Omit<ScrubberProps, 'scroller'>) {
  let lastYear = '';
  let lastLabelPx = -Infinity;
  return months.map((m) => {
    const year = m.bucket.slice(0, 4);
    const px = (m.top / totalHeight) * viewportHeight;
    const showYear = year !== lastYear && px - lastLabelPx > 18;
    lastYear = year;
    if (showYear) lastLabelPx = px;
    return (
      <button
        key={m.bucket}
        type="button"
        className={showYear ? 'scrubber-month year' : 'scrubber-month'}
        style={{ top: `${(m.top / totalHeight) * 100}%` }}
        aria-label={`Jump to ${monthLabel(m.bucket)}`}
        tabIndex={showYear ? 0 : -1}
        onClick={() => {
          onJump(m.bucket);
        }}
      >
        {showYear ? year : ''}
      </button>
    );
  });
});

/** The element's scrollTop, at most once per frame. */
function useScrollTop(scroller: RefObject<HTMLElement | null>): number {
  const [top, setTop] = useState(0);
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    let frame = 0;
    const onScroll = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setTop(element.scrollTop);
      });
    };
    element.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      element.removeEventListener('scroll', onScroll);
      cancelAnimationFrame(frame);
    };
  }, [scroller]);
  return top;
}
