import { api } from '../api/client';

/** Where an import is: parts are uploaded, then one background job reads and imports them. */
export type ImportStatus =
  'uploading' | 'queued' | 'indexing' | 'matching' | 'importing' | 'done' | 'failed' | 'cancelled';

export interface TakeoutPart {
  id: string;
  fileName: string;
  size: number;
  status: 'uploaded' | 'indexed' | 'failed';
  format: string | null;
  /** Why the archive could not be read (to the end). */
  error: string | null;
}

export interface TakeoutCounts {
  /** Every entry indexed in the archives. */
  entries: number;
  /** Photo and video files (by name; their content is checked on import). */
  media: number;
  sidecars: number;
  /** Media files that found their JSON metadata. */
  matched: number;
  albums: number;
  imported: number;
  duplicates: number;
  /** Video parts of live photos, joined to their still. */
  motion: number;
  skipped: number;
  failed: number;
  /** Not media: HTML, print orders, other JSON. */
  ignored: number;
  /** Unsafe entries: paths leaving the archive, links, bombs. */
  refused: number;
  /** Media files not imported yet. */
  pending: number;
}

/** What an import brings in: detected from its parts once they are read. */
export type ImportSource = 'google-takeout' | 'pixelunion';

export interface TakeoutImport {
  id: string;
  source: ImportSource;
  status: ImportStatus;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  parts: TakeoutPart[];
  counts: TakeoutCounts;
}

export type FileOutcome =
  'imported' | 'duplicate' | 'motion' | 'skipped' | 'failed' | 'ignored' | 'refused' | 'pending';

export interface ReportAlbum {
  title: string;
  description: string | null;
  folder: string;
  albumId: string | null;
}

export interface ReportFile {
  path: string;
  part: string;
  kind: string;
  outcome: FileOutcome;
  detail: string | null;
  assetId: string | null;
  sidecar: string | null;
  dateFrom?: string | null;
  locationFrom?: string | null;
}

export interface TakeoutReport {
  import: Omit<TakeoutImport, 'counts'>;
  summary: TakeoutCounts;
  albums: ReportAlbum[];
  notes: string[];
  files: ReportFile[];
}

const base = '/api/takeout/imports';
const importUrl = (id: string) => `${base}/${encodeURIComponent(id)}`;

export const takeout = {
  /** The user's imports, newest first. */
  list: () => api.get<TakeoutImport[]>(base),
  get: (id: string) => api.get<TakeoutImport>(importUrl(id)),
  /** `source`: what the owner chose to import (the server checks it against the parts). */
  create: (source: ImportSource) => api.post<TakeoutImport>(base, { source }),
  start: (id: string) => api.post<TakeoutImport>(`${importUrl(id)}/start`),
  cancel: (id: string) => api.post<TakeoutImport>(`${importUrl(id)}/cancel`),
  /** The report with only the files that did not come in (skipped, failed, refused). */
  report: (id: string) =>
    api.get<TakeoutReport>(`${importUrl(id)}/report?outcomes=skipped,failed,refused`),
  /** The report as a file to save (the server sends it as an attachment). */
  reportDownloadUrl: (id: string) => `${importUrl(id)}/report?download`,
};

/** The background job has not finished: the page keeps asking for its progress. */
export const isRunning = (status: ImportStatus): boolean =>
  status === 'queued' || status === 'indexing' || status === 'matching' || status === 'importing';

export const isFinished = (status: ImportStatus): boolean =>
  status === 'done' || status === 'failed' || status === 'cancelled';
