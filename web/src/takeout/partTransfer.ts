import * as tus from 'tus-js-client';
import { errorFromBody } from '../api/client';
import type { Transfer } from '../upload/transfer';

export interface PartCallbacks {
  onProgress: (sent: number, total: number) => void;
  /** The part is stored on the server and belongs to the import. */
  onDone: (partId: string) => void;
  onError: (message: string) => void;
}

// The same settings as the ordinary uploads (../upload/transfer.ts), which take no metadata.
const chunkSize = 8 * 1024 * 1024;
const assetIdHeader = 'PixelUnion-Asset-Id';
const assetStatusHeader = 'PixelUnion-Asset-Status';

function messageOf(error: Error): string {
  if (error instanceof tus.DetailedError && error.originalResponse) {
    const response = error.originalResponse;
    return errorFromBody(response.getStatus(), response.getBody()).message;
  }
  if (error instanceof tus.DetailedError) return 'The connection to the server was lost.';
  return error.message;
}

/**
 * Sends one part of a Google Takeout export with tus, as a part of the import `importId`.
 *
 * Resumable like every upload: the upload's address is kept in localStorage under the file's
 * fingerprint, so choosing the same file again (after a reload, or a connection that dropped for
 * good) continues from the server's offset. The fingerprint names the import, so a part is only
 * ever continued into the import it was started for, and never mixed up with an ordinary upload
 * of the same file.
 */
export function startPartTransfer(
  file: File,
  importId: string,
  callbacks: PartCallbacks,
): Transfer {
  let partId: string | null = null;
  const endpoint = new URL('/api/uploads', window.location.href).href;
  const upload = new tus.Upload(file, {
    endpoint,
    chunkSize,
    retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
    storeFingerprintForResuming: true,
    removeFingerprintOnSuccess: true,
    fingerprint: (f) =>
      Promise.resolve(
        ['pixelunion-takeout', importId, f.name, f.size, f.lastModified, endpoint].join('-'),
      ),
    metadata: {
      filename: file.name,
      filetype: file.type || 'application/octet-stream',
      fileModifiedAt: new Date(file.lastModified).toISOString(),
      takeoutImportId: importId,
    },
    onProgress: callbacks.onProgress,
    onAfterResponse(_request, response) {
      if (response.getHeader(assetStatusHeader) === 'takeout-part') {
        partId = response.getHeader(assetIdHeader) ?? null;
      }
    },
    onSuccess({ lastResponse }) {
      const id =
        partId ??
        (lastResponse.getHeader(assetStatusHeader) === 'takeout-part'
          ? (lastResponse.getHeader(assetIdHeader) ?? null)
          : null);
      if (id) callbacks.onDone(id);
      else callbacks.onError('The server did not take this file as a part of the import.');
    },
    onError(error) {
      callbacks.onError(messageOf(error));
    },
  });
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
