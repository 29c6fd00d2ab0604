import type { FileOutcome, ImportSource, ImportStatus, TakeoutCounts, TakeoutImport } from './api';

/** Where the photos of an import come from. */
export const sourceText: Record<ImportSource, string> = {
  'google-takeout': 'From Google Photos (Google Takeout)',
  pixelunion: 'From a PixelUnion export',
};

/** What the import is doing, in words. */
export const phaseText: Record<ImportStatus, string> = {
  uploading: 'Waiting for its parts to be uploaded',
  queued: 'Waiting to start',
  indexing: 'Indexing the archives',
  matching: 'Matching photos with their metadata',
  importing: 'Importing photos and videos',
  done: 'Finished',
  failed: 'Stopped by an error',
  cancelled: 'Cancelled',
};

/** An import's state in a word or two, for the list of past imports. */
export const statusText: Record<ImportStatus, string> = {
  uploading: 'Not started',
  queued: 'Queued',
  indexing: 'Indexing',
  matching: 'Matching',
  importing: 'Importing',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export const outcomeText: Record<FileOutcome, string> = {
  imported: 'Imported',
  duplicate: 'Duplicate',
  motion: 'Live-photo part',
  skipped: 'Skipped',
  failed: 'Failed',
  ignored: 'Ignored',
  refused: 'Refused',
  pending: 'Not imported',
};

/** The counters shown while and after an import runs, with what each one means. */
export const counters: { key: keyof TakeoutCounts; label: string; hint: string }[] = [
  { key: 'matched', label: 'Matched', hint: 'Photos and videos that found their JSON metadata' },
  { key: 'imported', label: 'Imported', hint: 'New photos and videos in your library' },
  {
    key: 'duplicates',
    label: 'Duplicates',
    hint: 'Already in your library, or twice in the export',
  },
  { key: 'motion', label: 'Live-photo parts', hint: 'Video halves, kept with their photo' },
  { key: 'skipped', label: 'Skipped', hint: 'Empty or unreadable files' },
  { key: 'failed', label: 'Failed', hint: 'Could not be stored' },
  { key: 'ignored', label: 'Ignored', hint: 'Not photos: web pages, print orders, thumbnails' },
  { key: 'refused', label: 'Refused', hint: 'Unsafe archive entries' },
  { key: 'pending', label: 'Pending', hint: 'Photos and videos still to import' },
];

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export const when = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** How long the import ran, once it has finished. */
export function duration(item: Pick<TakeoutImport, 'startedAt' | 'finishedAt'>): string | null {
  if (!item.startedAt || !item.finishedAt) return null;
  const seconds = Math.max(
    0,
    Math.round((Date.parse(item.finishedAt) - Date.parse(item.startedAt)) / 1000),
  );
  if (seconds < 1) return 'under a second';
  if (seconds < 60) return plural(seconds, 'second');
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return plural(minutes, 'minute');
  return `${(minutes / 60).toFixed(1)} hours`;
}

/** Photo and video files the import has dealt with, one way or another. */
export const handled = (counts: TakeoutCounts) => Math.max(0, counts.media - counts.pending);
