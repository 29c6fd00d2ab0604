import type { RawTags } from './media.exiftool.js';
import { num } from './media.tags.js';
import type { MediaProbe } from './media.types.js';

// EXIF orientation equivalent of HEIF irot (index: 90° counter-clockwise steps) and imir.
const HEIF_ORIENTATION: Record<string, readonly number[]> = {
  none: [1, 8, 3, 6],
  '0': [2, 5, 4, 7], // mirrored about the vertical axis (left-right), then rotated
  '1': [4, 7, 2, 5], // mirrored about the horizontal axis (top-bottom), then rotated
};

export const isHeifFamily = (probe: MediaProbe): boolean =>
  probe.format === 'heic' || probe.format === 'avif';

function exifOrientation(tags: RawTags): number | null {
  const o = num(tags['IFD0:Orientation']);
  return o !== null && Number.isInteger(o) && o >= 1 && o <= 8 ? o : null;
}

const hasHeifTransform = (tags: RawTags): boolean =>
  tags['QuickTime:Rotation'] !== undefined || tags['QuickTime:Mirroring'] !== undefined;

/**
 * EXIF-style orientation (1..8) of how the picture is meant to be shown. HEIF/AVIF: the irot/imir
 * boxes, which decoders apply and which win over EXIF (as the HEIF spec says, as libheif and
 * Apple do); only a file without them (Fujifilm HIF, some edited iPhone files) falls back to EXIF.
 */
export function readOrientation(tags: RawTags, probe: MediaProbe): number | null {
  if (probe.type === 'video') return null;
  if (!isHeifFamily(probe)) return exifOrientation(tags);
  if (!hasHeifTransform(tags)) return exifOrientation(tags) ?? 1;
  const rotation = num(tags['QuickTime:Rotation']) ?? 0;
  const mirror = num(tags['QuickTime:Mirroring']);
  return HEIF_ORIENTATION[mirror === null ? 'none' : String(mirror)]?.[rotation] ?? 1;
}

/** The orientation a HEIF decoder (which applies only irot/imir) leaves for us to apply. */
export function orientationAfterHeifDecoder(tags: RawTags): number | null {
  return hasHeifTransform(tags) ? null : exifOrientation(tags);
}
