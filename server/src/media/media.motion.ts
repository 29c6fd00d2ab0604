// Google / Android motion photos: a still with its short video appended after the image.
//
// Two ways of saying so, both in XMP (exiftool's groups, see media.exiftool.ts):
// - Motion Photo 1.0 (Pixel since Android 11, Samsung One UI): GCamera:MotionPhoto=1 and a
//   Container:Directory whose last item has Semantic "MotionPhoto" and Length = the bytes of the
//   video at the end of the file. exiftool calls the namespace GContainer and flattens the items
//   into lists: XMP-GContainer:DirectoryItemSemantic / DirectoryItemLength.
// - MicroVideo (older Pixels, Samsung up to about 2020): GCamera:MicroVideo=1 and
//   GCamera:MicroVideoOffset = the number of bytes from the END of the file where the video starts.
//
// Samsung's own trailer (Samsung:EmbeddedVideoType "MotionPhoto_Data", a "MotionPhoto_Data"
// marker, the MP4, then a SEFH…SEFT directory) is not read here: exiftool gives no position for
// it in JPEGs. Samsung phones that write it also write one of the XMP forms above, whose length
// then takes in the trailer's few bytes after the MP4 (players ignore them).

import type { RawTags } from './media.exiftool.js';
import type { EmbeddedMotion } from './media.types.js';

const MOTION_SEMANTIC = 'MotionPhoto';

const isFlag = (v: unknown): boolean => v === 1 || v === '1' || v === true || v === 'True';

function byteCount(v: unknown): number | null {
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** A list tag as a list: exiftool gives a single item as a plain value. */
const listOf = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Length of the MotionPhoto item of a Motion Photo 1.0 container, or null. */
function containerLength(tags: RawTags): number | null {
  if (!isFlag(tags['XMP-GCamera:MotionPhoto'])) return null;
  const semantics = listOf(tags['XMP-GContainer:DirectoryItemSemantic']);
  const lengths = listOf(tags['XMP-GContainer:DirectoryItemLength']);
  // Flattened lists lose which item a value came from. Every item but the primary one must have
  // a Length, so with one Length per item, or per item but the first, the last is the video's.
  const n = semantics.length;
  if (n < 2 || semantics[n - 1] !== MOTION_SEMANTIC) return null;
  if (lengths.length !== n && lengths.length !== n - 1) return null;
  return byteCount(lengths[lengths.length - 1]);
}

/** Bytes from the end of the file where a MicroVideo starts, or null. */
function microVideoLength(tags: RawTags): number | null {
  if (!isFlag(tags['XMP-GCamera:MicroVideo'])) return null;
  return byteCount(tags['XMP-GCamera:MicroVideoOffset']);
}

/**
 * Where the video of a motion photo lies in its file of `fileSize` bytes, from the tags read by
 * readTags; null when the tags declare none or declare one that cannot be (empty, the whole file
 * or more). The video always ends the file. Pure: the caller checks the bytes are a video.
 */
export function embeddedMotionOf(tags: RawTags, fileSize: number): EmbeddedMotion | null {
  if (!Number.isSafeInteger(fileSize) || fileSize <= 0) return null;
  for (const length of [containerLength(tags), microVideoLength(tags)]) {
    if (length === null || length >= fileSize) continue;
    const start = fileSize - length;
    if (start > 0 && length > 0 && start + length === fileSize) return { start, length };
  }
  return null;
}
