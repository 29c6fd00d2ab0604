import { api } from '../api/client';

export interface ExportPart {
  number: number;
  size: number;
  files: number;
  fileName: string;
  /** GET it (the session cookie is enough): a zip, resumable by Range. */
  url: string;
}

/** A full export of the signed-in user's library, as GET /api/exports/:id answers it. */
export interface DataExport {
  id: string;
  status: 'queued' | 'building' | 'ready' | 'failed';
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  expiresAt: string;
  partSizeBytes: number;
  progress: { assets: number; assetsDone: number };
  totalBytes: number | null;
  parts: ExportPart[];
}

export const isPreparing = (e: DataExport): boolean =>
  e.status === 'queued' || e.status === 'building';

const exportUrl = (id: string) => `/api/exports/${encodeURIComponent(id)}`;

export const dataExports = {
  list: () => api.get<DataExport[]>('/api/exports'),
  get: (id: string) => api.get<DataExport>(exportUrl(id)),
  start: () => api.post<DataExport>('/api/exports', {}),
  remove: (id: string) => api.delete<undefined>(exportUrl(id)),
};
