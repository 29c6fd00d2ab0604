import { errorFromBody } from '../api/client';
import type { LinkContent } from '../api/types';

/**
 * The API a share link's visitor reaches with its key (`/api/s/<key>…`), without an account.
 * Its pass (after a password) is an HttpOnly cookie scoped to the link's path.
 */
export function linkApi(key: string) {
  const base = `/api/s/${encodeURIComponent(key)}`;
  const file = (id: string, kind: 'thumbnail' | 'preview' | 'fullsize' | 'original') =>
    `${base}/assets/${encodeURIComponent(id)}/${kind}`;
  return {
    base,
    /** One view of the link (the server counts it). */
    async content(): Promise<LinkContent> {
      const response = await fetch(base, { credentials: 'same-origin', cache: 'no-store' });
      if (!response.ok) throw errorFromBody(response.status, await response.text());
      return (await response.json()) as LinkContent;
    },
    async unlock(password: string): Promise<void> {
      const response = await fetch(`${base}/password`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ password }),
      });
      if (!response.ok) throw errorFromBody(response.status, await response.text());
    },
    /**
     * Whether the link still opens, asked without counting a view: the first byte of a
     * thumbnail. Answers the error code (LINK_REVOKED, PASSWORD_REQUIRED, …) or null.
     */
    async check(assetId: string): Promise<{ status: number; code: string } | null> {
      const response = await fetch(file(assetId, 'thumbnail'), {
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { range: 'bytes=0-0' },
      });
      if (response.ok) {
        await response.body?.cancel();
        return null;
      }
      const error = errorFromBody(response.status, await response.text());
      return { status: error.status, code: error.code };
    },
    thumbnailUrl: (id: string) => file(id, 'thumbnail'),
    previewUrl: (id: string) => file(id, 'preview'),
    fullSizeUrl: (id: string) => file(id, 'fullsize'),
    originalUrl: (id: string) => file(id, 'original'),
    downloadUrl: `${base}/download`,
    uploadUrl: `${base}/upload`,
  };
}

export type LinkApi = ReturnType<typeof linkApi>;

/** Starts the zip download of the link's photos (or the chosen ones): a form POST. */
export function downloadZip(api: LinkApi, ids?: string[]): void {
  const form = document.createElement('form');
  form.method = 'POST';
  form.action = api.downloadUrl;
  form.hidden = true;
  if (ids) {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = 'ids';
    input.value = ids.join(',');
    form.append(input);
  }
  document.body.append(form);
  form.submit();
  form.remove();
}

export interface UploadOutcome {
  status: 'created' | 'duplicate' | 'error';
  message?: string;
}

/** Sends one file into the link's album, reporting progress (multipart, like POST /api/assets). */
export function uploadFile(
  api: LinkApi,
  file: File,
  onProgress: (sent: number, total: number) => void,
): Promise<UploadOutcome> {
  return new Promise((resolve) => {
    const body = new FormData();
    body.append('fileModifiedAt', new Date(file.lastModified).toISOString());
    body.append('file', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', api.uploadUrl);
    xhr.upload.onprogress = (event) => {
      onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    };
    xhr.onload = () => {
      if (xhr.status === 201) resolve({ status: 'created' });
      else if (xhr.status === 200) resolve({ status: 'duplicate' });
      else {
        const error = errorFromBody(xhr.status, xhr.responseText);
        resolve({ status: 'error', message: error.message });
      }
    };
    xhr.onerror = () => {
      resolve({ status: 'error', message: 'The connection to the server was lost.' });
    };
    xhr.send(body);
  });
}
