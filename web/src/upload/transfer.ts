import * as tus from 'tus-js-client';
import { errorFromBody } from '../api/client';

export interface TransferCallbacks {
  onProgress: (sent: number, total: number) => void;
  onDone: (result: { assetId: string | null; duplicate: boolean }) => void;
  onError: (message: string) => void;
}

export interface Transfer {
  abort: () => void;
}

const chunkSize = 8 * 1024 * 1024;
export const assetIdHeader = 'PixelUnion-Asset-Id';
export const assetStatusHeader = 'PixelUnion-Asset-Status';

export function messageOf(error: Error): string {
  if (error instanceof tus.DetailedError && error.originalResponse) {
    const response = error.originalResponse;
    return errorFromBody(response.getStatus(), response.getBody()).message;
  }
  if (error instanceof tus.DetailedError) return 'The connection to the server was lost.';
  return error.message;
}

/**
 * Sends one file with tus (resumable: the upload URL is remembered in localStorage under the
 * file's fingerprint, so choosing the same file again after a reload continues from the server's
 * offset).
 */
export function startTransfer(file: File, callbacks: TransferCallbacks): Transfer {
  let outcome: { assetId: string | null; duplicate: boolean } | null = null;
  const upload = new tus.Upload(file, {
    ...uploadOptions(file),
    onProgress: callbacks.onProgress,
    onAfterResponse(_request, response) {
      const status = response.getHeader(assetStatusHeader);
      if (status) {
        outcome = {
          assetId: response.getHeader(assetIdHeader) ?? null,
          duplicate: status === 'duplicate',
        };
      }
    },
    onSuccess({ lastResponse }) {
      const status = lastResponse.getHeader(assetStatusHeader);
      callbacks.onDone(
        outcome ?? {
          assetId: lastResponse.getHeader(assetIdHeader) ?? null,
          duplicate: status === 'duplicate',
        },
      );
    },
    onError(error) {
      callbacks.onError(messageOf(error));
    },
  });
  return resumeOrStart(upload);
}

/** The options every upload shares: the endpoint, chunks, retries, resuming, the file's metadata. */
export function uploadOptions(file: File, metadata: Record<string, string> = {}) {
  return {
    endpoint: new URL('/api/uploads', window.location.href).href,
    chunkSize,
    retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
    storeFingerprintForResuming: true,
    removeFingerprintOnSuccess: true,
    metadata: {
      filename: file.name,
      filetype: file.type || 'application/octet-stream',
      fileModifiedAt: new Date(file.lastModified).toISOString(),
      ...metadata,
    },
  };
}

/** Continues the upload this file started before (found by its fingerprint), or starts it. */
export function resumeOrStart(upload: tus.Upload): Transfer {
  void upload.findPreviousUploads().then((previous) => {
    const last = previous[0];
    if (last) upload.resumeFromPreviousUpload(last);
    upload.start();
  });
  return {
    abort() {
      void upload.abort();
    },
  };
}
