import { closeExiftool } from './media.exiftool.js';
import { killFfmpeg } from './media.ffmpeg.js';
import { closeHeicDecoders } from './media.heic.js';

export * from './media.types.js';
export { MediaToolError } from './media.errors.js';
export { sniffFile } from './media.sniff.js';
export { extractMetadata } from './media.metadata.js';
export { embeddedMotionOf } from './media.motion.js';
export { generateFullSize, generateThumbnails } from './media.thumbnails.js';
export { forbiddenTags, locationTags, stripMetadata } from './media.strip.js';

/** Ends the exiftool processes, HEIC decoder threads and any running ffmpeg. */
export async function closeMedia(): Promise<void> {
  killFfmpeg();
  await Promise.all([closeExiftool(), closeHeicDecoders()]);
}
