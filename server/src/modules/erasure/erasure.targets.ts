import { blobKeys } from '../../storage/blob-store.js';

// What belongs to a user outside the tables' owner columns: blob folders and queued jobs.

/**
 * Top folders of the blob store whose `<folder>/<owner id>/` holds one user's files. Derived from
 * `blobKeys` (every key function whose first argument is the owner), plus folders written outside
 * it; a folder that is never used costs one empty listing.
 */
const extraBlobFolders: readonly string[] = ['exports'];

export function userBlobPrefixes(ownerId: string): string[] {
  const marker = 'owner\u0001marker';
  const folders = new Set(extraBlobFolders);
  for (const keyFunction of Object.values(blobKeys)) {
    // Any further arguments (asset, export, part) are filled with a placeholder.
    const keyOf: (...args: string[]) => string = keyFunction;
    const key = keyOf(marker, 'x', 'x', 'x');
    const at = key.indexOf(`/${marker}/`);
    if (at > 0) folders.add(key.slice(0, at));
  }
  return [...folders].sort().map((folder) => `${folder}/${ownerId}/`);
}

/** Every string in a JSON value, nested ones included. */
function stringsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsOf(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) stringsOf(v, out);
  }
  return out;
}

/** A job is about the user when its payload names one of their rows, or holds their id. */
export function jobMatcher(userId: string) {
  return (ownedIds: ReadonlySet<string>) =>
    (payload: string): boolean => {
      if (payload.includes(userId)) return true;
      try {
        return stringsOf(JSON.parse(payload)).some((s) => ownedIds.has(s));
      } catch {
        return false;
      }
    };
}
