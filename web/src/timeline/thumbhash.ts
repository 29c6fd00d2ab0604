import { thumbHashToAverageRGBA, thumbHashToDataURL } from 'thumbhash';

const cache = new Map<string, string>();
const colours = new Map<string, string>();

const bytesOf = (thumbhash: string) => Uint8Array.from(atob(thumbhash), (c) => c.charCodeAt(0));

/**
 * The average colour of a base64 thumbhash, as CSS: what a tile shows while the timeline scrolls
 * fast (no image to decode), before its placeholder and thumbnail.
 */
export function averageColour(thumbhash: string | null): string | undefined {
  if (!thumbhash) return undefined;
  let colour = colours.get(thumbhash);
  if (colour === undefined) {
    try {
      const { r, g, b } = thumbHashToAverageRGBA(bytesOf(thumbhash));
      const byte = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 255);
      colour = `rgb(${byte(r)} ${byte(g)} ${byte(b)})`;
    } catch {
      colour = '';
    }
    if (colours.size > 20_000) colours.clear();
    colours.set(thumbhash, colour);
  }
  return colour || undefined;
}

/** The placeholder already decoded for this thumbhash, if any (cheap: for the first render). */
export function cachedPlaceholder(thumbhash: string | null): string | undefined {
  if (!thumbhash) return undefined;
  return cache.get(thumbhash) || undefined;
}

/** The placeholder image of a base64 thumbhash, decoded once. */
export function placeholderUrl(thumbhash: string | null): string | undefined {
  if (!thumbhash) return undefined;
  let url = cache.get(thumbhash);
  if (url === undefined) {
    try {
      url = thumbHashToDataURL(bytesOf(thumbhash));
    } catch {
      url = '';
    }
    if (cache.size > 2000) cache.clear();
    cache.set(thumbhash, url);
  }
  return url || undefined;
}
