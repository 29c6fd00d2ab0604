import type { ExportRow } from '../../db/db.types.js';
import { exportFormatVersion } from './export.documents.js';

/** README.txt: what is in the export and how to read it, for a person opening the zip. */
export function readme(row: ExportRow, userName: string): string {
  const date = new Date(row.created_at).toISOString();
  return `PixelUnion export of ${userName}, made ${date}
Format: pixelunion export, version ${exportFormatVersion}

If this export came as several zip files (parts), extract them all into the same folder. Every
part starts with the folder "${row.root}", so together they make one tree. Then open index.html
in any browser to look through your photos offline; it loads nothing from the internet.

What is here
  <year>/<month>/            your photos and videos, byte for byte as uploaded, by the month
                             they were taken (wall-clock time where they were taken)
  Trash/<year>/<month>/      what was in your trash
  Locked folder/<year>/<month>/  what was in your locked folder
  <file>.json                beside each file: everything PixelUnion held about it (dates with
                             time zone and their source, place, camera, description,
                             favourite, archive, locked folder, trash, albums, share links)
  <file>.xmp                 beside each file: an XMP sidecar that photo tools read (digiKam,
                             darktable, Lightroom, exiftool, Immich): description, date taken
                             with its offset, GPS position, camera; a favourite has Rating 5
  <name>.mov / <name>.mp4    the video part of a live photo, beside its still
  thumbnails/                small pictures for index.html
  account.json               your account: name, e-mail, settings, sessions, API keys (names
                             only), storage used, Google Takeout imports
  albums.json                your albums, who you shared them with, which of your photos are
                             in them; albums others shared with you (with your photos there)
  shares.json                your share links, their options and their whole use log. A link's
                             key opens the link while it is active: keep this file private.
  index.html                 the offline page

Everything that is a date is in ISO 8601. The format is described in detail in the PixelUnion
documentation (docs/export-format.md).
`;
}
