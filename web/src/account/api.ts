import { api } from '../api/client';

/** Counts of what an erasure removed, by kind (nothing that identifies the person). */
export interface ErasureSummary {
  assets: number;
  photos: number;
  videos: number;
  bytes: number;
  albums: number;
  sharedAlbumsLeft: number;
  shareLinks: number;
  shareLinkEvents: number;
  sessions: number;
  apiKeys: number;
  unfinishedUploads: number;
  takeoutImports: number;
  jobs: number;
}

export interface ErasureReceipt {
  status: 'scheduled' | 'erased';
  /** null when an administrator erased the account. */
  requestedAt: string | null;
  dueAt: string | null;
  erasedAt: string | null;
  erasedBy: 'user' | 'admin' | null;
  deleted: ErasureSummary | null;
}

export interface ErasureStatus {
  scheduled: boolean;
  requestedAt: string | null;
  dueAt: string | null;
  graceDays: number;
  /** The last request was cancelled because the user signed in during the grace period. */
  cancelledBySignIn: boolean;
}

export interface ErasureRequested {
  status: 'scheduled' | 'erased';
  requestedAt: string;
  dueAt: string;
  receiptToken: string;
  /** `/erasure-receipt/<token>`: the receipt's public page. */
  receiptPath: string;
  endedSessions: number;
  revokedApiKeys: number;
  receipt: ErasureReceipt | null;
}

export interface AdminErased {
  status: 'erased' | 'pending';
  receiptToken: string;
  receiptPath: string;
  receipt: ErasureReceipt | null;
}

export const erasure = {
  status: () => api.get<ErasureStatus>('/api/account/erasure'),
  request: (password: string) => api.post<ErasureRequested>('/api/account/erasure', { password }),
  /** Cancels a scheduled erasure, or forgets the note that one was cancelled. */
  cancel: () => api.delete<ErasureStatus>('/api/account/erasure'),
  receipt: (token: string) =>
    api.get<ErasureReceipt>(`/api/erasure-receipts/${encodeURIComponent(token)}`),
  eraseUser: (id: string, confirmEmail: string) =>
    api.post<AdminErased>(`/api/users/${encodeURIComponent(id)}/erase`, { confirmEmail }),
};

/** The receipt's page as a full address, to keep or pass on. */
export const receiptUrl = (receiptPath: string): string => window.location.origin + receiptPath;

/** Date and time in the reader's own format. */
export const formatDateTime = (iso: string): string =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'long', timeStyle: 'short' });
