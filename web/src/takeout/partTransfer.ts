import * as tus from 'tus-js-client';
import {
  assetIdHeader,
  assetStatusHeader,
  messageOf,
  resumeOrStart,
  uploadOptions,
  type Transfer,
} from '../upload/transfer';

export interface PartCallbacks {
  onProgress: (sent: number, total: number) => void;
  /** The part is stored on the server and belongs to the import. */
  onDone: (partId: string) => void;
  onError: (message: string) => void;
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
  const options = uploadOptions(file, { takeoutImportId: importId });
  const upload = new tus.Upload(file, {
    ...options,
    fingerprint: (f) =>
      Promise.resolve(
        ['pixelunion-takeout', importId, f.name, f.size, f.lastModified, options.endpoint].join(
          '-',
        ),
      ),
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
  return resumeOrStart(upload);
}
