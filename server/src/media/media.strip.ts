import fsp from 'node:fs/promises';
import { exiftool } from './media.exiftool.js';
import { MediaToolError } from './media.errors.js';

/** Tags that must never survive stripping: a check after writing, so stripping fails closed. */
const FORBIDDEN = [
  /^GPS/i,
  /SerialNumber$/i,
  /^(OwnerName|Artist|Copyright|Creator|By-line|Credit|Rights)$/i,
  /^(Location|LocationName|City|State|Province-State|Country|Sub-location|CountryCode)/i,
  /^(UserComment|ImageDescription|XPAuthor|XPComment|XPKeywords|XPSubject|XPTitle)$/i,
];

/**
 * Where a file was made, for the location-only strip (a user's "don't keep where my photos were
 * taken"): exiftool's own `Location` group (EXIF GPS, IPTC and XMP city/state/country/
 * sub-location, IPTC Extension LocationShown/LocationCreated, QuickTime GPSCoordinates and
 * LocationName in Keys, UserData and ItemList) and any tag named GPS… in any group (XMP
 * GPSDateTime). Dates, camera and everything else stay. Samsung's trailer's MCCData (the mobile
 * network's country) is left: exiftool cannot rewrite it without dropping the trailer, which
 * holds a motion photo's video.
 */
const LOCATION_WRITE_ARGS = ['-location:all=', '-gps:all=', '-gps*=', '-overwrite_original'];
const LOCATION_READ_ARGS = ['-G1', '-a', '-ee', '-location:all', '-*gps*'];
const LOCATION_KEPT = new Set(['Samsung:MCCData']);

/** What a strip removes: `all` for share links without metadata, or only the `location`. */
export type StripScope = 'all' | 'location';

/** Formats exiftool rewrites safely with -all=: images whose decoders need no maker notes, video. */
const WHOLE_STRIP = /^(image\/(jpeg|png|webp|gif|heic|heif|avif|tiff)|video\/)/;

/**
 * Writes a copy of `input` to `output` without location, camera serial, XMP/IPTC and personal
 * fields. Whole-strip formats keep only Orientation and the ICC profile (colours and rotation
 * stay right); camera RAW keeps its maker notes' decoding data but loses GPS, XMP, IPTC and the
 * personal and serial tags. With scope `location` only where the file was made goes (see
 * LOCATION_WRITE_ARGS). Throws when the result still carries a forbidden tag.
 */
export async function stripMetadata(
  input: string,
  output: string,
  mimeType: string,
  scope: StripScope = 'all',
): Promise<void> {
  await fsp.copyFile(input, output);
  const writeArgs =
    scope === 'location'
      ? LOCATION_WRITE_ARGS
      : WHOLE_STRIP.test(mimeType)
        ? ['-all=', '-tagsFromFile', '@', '-Orientation', '-ICC_Profile', '-overwrite_original']
        : [
            '-gps:all=',
            '-xmp:all=',
            '-iptc:all=',
            '-SerialNumber=',
            '-InternalSerialNumber=',
            '-LensSerialNumber=',
            '-OwnerName=',
            '-Artist=',
            '-Copyright=',
            '-UserComment=',
            '-ImageDescription=',
            '-overwrite_original',
          ];
  try {
    await exiftool().write(output, {}, { writeArgs, ignoreMinorErrors: true });
  } catch (error) {
    // exiftool reports warnings (such as "ICC_Profile deleted", then restored) as errors.
    if (!/warning/i.test(String(error))) {
      await fsp.rm(output, { force: true });
      throw new MediaToolError(`exiftool could not strip metadata: ${String(error)}`);
    }
  }
  const left = scope === 'location' ? await locationTags(output) : await forbiddenTags(output);
  if (left.length > 0) {
    await fsp.rm(output, { force: true });
    throw new MediaToolError(`metadata could not be stripped: ${left.join(', ')} remain`);
  }
}

/** The names of forbidden tags `path` still carries (all groups, embedded video tracks too). */
export async function forbiddenTags(path: string): Promise<string[]> {
  const tags = await exiftool().readRaw(path, { readArgs: ['-G1', '-a', '-ee'] });
  return Object.keys(tags).filter((key) => {
    const name = key.includes(':') ? key.slice(key.indexOf(':') + 1) : key;
    return FORBIDDEN.some((pattern) => pattern.test(name));
  });
}

/** The names of the tags saying where `path` was made that it still carries (non-empty values). */
export async function locationTags(path: string): Promise<string[]> {
  const tags = await exiftool().readRaw(path, { readArgs: LOCATION_READ_ARGS });
  const blank = (value: unknown) => value === null || (typeof value === 'string' && !value.trim());
  return Object.entries(tags)
    .filter(([key]) => key.includes(':') && !key.startsWith('ExifTool:') && !LOCATION_KEPT.has(key))
    .filter(([, value]) => !blank(value))
    .map(([key]) => key);
}
