// How fast the timeline is scrolling, from its scroll events. Tiles ask for their thumbnails
// only once the scroll is slow enough for a person to see them: a fast scroll would otherwise
// fetch and decode thousands of thumbnails that are gone before they arrive, and that work is
// what made frames late. Their average colours show meanwhile, then the thumbhash placeholders.

/** Faster than this (about three screens a second) shows placeholders only. */
export const fastPxPerSecond = 3000;
/** Without a scroll event for this long, the scroll has stopped. */
const stillAfterMs = 200;

export class ScrollSpeed {
  private lastTop = 0;
  private lastAt = Number.NEGATIVE_INFINITY;
  private pxPerSecond = 0;

  note(top: number, now: number): void {
    const elapsed = now - this.lastAt;
    this.pxPerSecond =
      elapsed > 0 && elapsed < stillAfterMs ? (Math.abs(top - this.lastTop) / elapsed) * 1000 : 0;
    this.lastTop = top;
    this.lastAt = now;
  }

  isFast(now: number): boolean {
    return now - this.lastAt < stillAfterMs && this.pxPerSecond > fastPxPerSecond;
  }
}

/** The one timeline on the page. */
export const timelineScroll = new ScrollSpeed();

/**
 * Runs `action` once `delayMs` have passed and the timeline is not scrolling fast (checked again
 * every `delayMs` until then); the function returned cancels it.
 */
export function afterScrollSlows(delayMs: number, action: () => void): () => void {
  let timer: ReturnType<typeof setTimeout>;
  const check = () => {
    if (timelineScroll.isFast(performance.now())) timer = setTimeout(check, delayMs);
    else action();
  };
  timer = setTimeout(check, delayMs);
  return () => {
    clearTimeout(timer);
  };
}
