/**
 * A tool of the media layer (ffmpeg, the HEIC decoder) is missing or was shut down: a problem of
 * the installation or of the process, not of the file, so never a MediaUnreadableError.
 */
export class MediaToolError extends Error {
  override name = 'MediaToolError';
}
