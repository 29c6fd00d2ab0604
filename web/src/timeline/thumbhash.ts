import { thumbHashToDataURL } from 'thumbhash';

const cache = new Map<string, string>();

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
      const bytes = Uint8Array.from(atob(thumbhash), (c) => c.charCodeAt(0));
      url = thumbHashToDataURL(bytes);
    } catch {
      url = '';
    }
    if (cache.size > 2000) cache.clear();
    cache.set(thumbhash, url);
  }
  return url || undefined;
}
