import { api, ApiError } from './client';
import type {
  Album,
  AlbumMember,
  AlbumSummary,
  DirectoryUser,
  LinkOptions,
  LinkUse,
  MemberRole,
  ShareLink,
  Asset,
  BucketPage,
  BucketSummary,
  Usage,
  User,
  View,
} from './types';

export const auth = {
  async needsSetup(): Promise<boolean> {
    return (await api.get<{ needsSetup: boolean }>('/api/auth/status')).needsSetup;
  },
  setup: (body: { email: string; password: string; name: string }) =>
    api.post<User>('/api/auth/setup', body),
  login: (email: string, password: string) =>
    api.post<{ user: User }>('/api/auth/login', { email, password }),
  logout: () => api.post<undefined>('/api/auth/logout'),
  async me(): Promise<User | null> {
    try {
      return await api.get<User>('/api/users/me');
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
};

export const users = {
  list: () => api.get<User[]>('/api/users'),
  create: (body: {
    email: string;
    password: string;
    name: string;
    isAdmin?: boolean;
    quotaBytes?: number | null;
  }) => api.post<User>('/api/users', body),
  setQuota: (id: string, quotaBytes: number | null) =>
    api.patch<User>(`/api/users/${encodeURIComponent(id)}`, { quotaBytes }),
  usage: () => api.get<Usage>('/api/users/me/usage'),
  /** The other users of this server, to share an album with. */
  directory: () => api.get<DirectoryUser[]>('/api/users/directory'),
};

export const timeline = {
  buckets: (view: View) => api.get<BucketSummary[]>(`/api/timeline/buckets?view=${view}`),
  bucket: (bucket: string, view: View) =>
    api.get<BucketPage>(`/api/timeline/buckets/${bucket}?view=${view}`),
};

const assetUrl = (id: string) => `/api/assets/${encodeURIComponent(id)}`;

export const assets = {
  get: (id: string) => api.get<Asset>(assetUrl(id)),
  update: (
    id: string,
    body: { isFavorite?: boolean; isArchived?: boolean; description?: string },
  ) => api.patch<Asset>(assetUrl(id), body),
  updateMany: (ids: string[], body: { isFavorite?: boolean; isArchived?: boolean }) =>
    api.post<undefined>('/api/assets/update', { ids, ...body }),
  trash: (ids: string[]) => api.post<undefined>('/api/assets/trash', { ids }),
  restore: (ids: string[]) => api.post<undefined>('/api/assets/restore', { ids }),
  deleteForGood: (ids: string[]) => api.post<undefined>('/api/assets/delete', { ids }),
  emptyTrash: () => api.post<{ deleted: number }>('/api/trash/empty'),
  thumbnailUrl: (id: string) => `${assetUrl(id)}/thumbnail`,
  previewUrl: (id: string) => `${assetUrl(id)}/preview`,
  originalUrl: (id: string) => `${assetUrl(id)}/original`,
  /** Every pixel in a format the browser draws (a JPEG rendition for HEIC and RAW). */
  fullSizeUrl: (id: string) => `${assetUrl(id)}/fullsize`,
};

export const albums = {
  list: () => api.get<AlbumSummary[]>('/api/albums'),
  create: (title: string) => api.post<AlbumSummary>('/api/albums', { title }),
  get: (id: string) => api.get<Album>(`/api/albums/${encodeURIComponent(id)}`),
  update: (
    id: string,
    patch: {
      title?: string;
      description?: string | null;
      coverAssetId?: string | null;
      sortOrder?: 'asc' | 'desc';
    },
  ) => api.patch<Album>(`/api/albums/${encodeURIComponent(id)}`, patch),
  /** Deletes the album only; its photos stay in the library. */
  remove: (id: string) => api.delete<undefined>(`/api/albums/${encodeURIComponent(id)}`),
  addAssets: (id: string, ids: string[]) =>
    api.post<{ added: number }>(`/api/albums/${encodeURIComponent(id)}/assets`, { ids }),
  removeAssets: (id: string, ids: string[]) =>
    api.delete<undefined>(`/api/albums/${encodeURIComponent(id)}/assets`, { ids }),
  /** Shares the album with a user, or changes their role (owner only). */
  setMember: (id: string, userId: string, role: MemberRole) =>
    api.put<AlbumMember[]>(
      `/api/albums/${encodeURIComponent(id)}/members/${encodeURIComponent(userId)}`,
      { role },
    ),
  /** Stops sharing with a user (owner), or leaves the album (the member themself). */
  removeMember: (id: string, userId: string) =>
    api.delete<undefined>(
      `/api/albums/${encodeURIComponent(id)}/members/${encodeURIComponent(userId)}`,
    ),
};

const shareUrl = (id: string) => `/api/shares/${encodeURIComponent(id)}`;

/** The owner's share links. */
export const shares = {
  list: (albumId?: string) =>
    api.get<ShareLink[]>(
      albumId ? `/api/shares?albumId=${encodeURIComponent(albumId)}` : '/api/shares',
    ),
  create: (body: LinkOptions & { albumId?: string; assetIds?: string[] }) =>
    api.post<ShareLink>('/api/shares', body),
  update: (id: string, body: LinkOptions) => api.patch<ShareLink>(shareUrl(id), body),
  revoke: (id: string) => api.delete<undefined>(shareUrl(id)),
  use: (id: string) => api.get<LinkUse>(`${shareUrl(id)}/events`),
};

/** The full address of a link's public page, on this server's own origin. */
export const linkAddress = (link: Pick<ShareLink, 'path'>) =>
  `${window.location.origin}${link.path}`;

/** Bulk download: a form POST, so the browser saves the zip the server streams. */
export function downloadMany(ids: string[]): void {
  const form = document.createElement('form');
  form.method = 'POST';
  form.action = '/api/assets/download';
  form.hidden = true;
  const input = document.createElement('input');
  input.type = 'hidden';
  input.name = 'ids';
  input.value = ids.join(',');
  form.append(input);
  document.body.append(form);
  form.submit();
  form.remove();
}
