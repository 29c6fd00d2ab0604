// A large, plain Takeout export for benchmarks: many small unique JPEGs with sidecars, in year
// folders, ~1 in 10 also in one of 50 albums, spread over parts. Memory stays flat: every entry
// is made when its part is written and forgotten once written.
import sharp from 'sharp';
import { prng } from './export.media.js';
import { albumMetadata, photoSidecar, sidecarName } from './export.sidecar.js';
import { writeParts, type ArchiveFormat } from './export.write.js';
import type { ArchiveEntry } from './export.zip.js';

export interface ScaleExportOptions {
  dir: string;
  /** Unique photos. */
  files: number;
  parts: number;
  format: ArchiveFormat;
  /** Year folders the photos are spread over, evenly (default 10: 2015–2024). */
  years?: number;
}

export interface ScaleExportResult {
  /** Absolute paths of the part files, in order. */
  parts: string[];
  /** Media entries in the archive: `files` unique photos plus `albumCopies` identical copies. */
  media: number;
  /** JSON sidecars (one per media entry). */
  sidecars: number;
  /** Unique photos (the assets an import must create). */
  files: number;
  /** Album copies (duplicates of a year-folder photo, same bytes). */
  albumCopies: number;
  /** Album folders written (each with a metadata.json, not counted in `sidecars`). */
  albums: number;
}

const ROOT = 'Takeout/Google Photos';
const ALBUMS = 50;

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const albumTitle = (k: number): string => `Album ${pad(k + 1, 2)}`;

/** The one 64×48 JPEG every photo is made from. */
async function baseJpeg(): Promise<Buffer> {
  const random = prng(64_48);
  const raw = Buffer.alloc(64 * 48 * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = 40 + random() * 160;
  return await sharp(raw, { raw: { width: 64, height: 48, channels: 3 } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

/** The base JPEG with a COM segment naming photo `i` right after SOI: decodable, unique. */
function uniqueJpeg(base: Buffer, i: number): Buffer {
  const text = Buffer.from(`pixelunion scale photo ${pad(i, 9)}`, 'latin1');
  const com = Buffer.alloc(4 + text.length);
  com.writeUInt16BE(0xfffe, 0);
  com.writeUInt16BE(text.length + 2, 2);
  text.copy(com, 4);
  return Buffer.concat([base.subarray(0, 2), com, base.subarray(2)]);
}

export async function generateScaleExport(options: ScaleExportOptions): Promise<ScaleExportResult> {
  const { files, parts, years = 10 } = options;
  if (!Number.isInteger(files) || files < 1) throw new Error('files must be a positive integer');
  if (!Number.isInteger(parts) || parts < 1) throw new Error('parts must be a positive integer');
  if (!Number.isInteger(years) || years < 1) throw new Error('years must be a positive integer');
  const base = await baseJpeg();

  const partOf = (i: number): number => Math.floor((i * parts) / files);
  const next = (p: number): number => (p + 1) % parts;
  /** Every 7th sidecar lands in the next part. */
  const jsonPartOf = (i: number): number => (i % 7 === 6 ? next(partOf(i)) : partOf(i));
  const albumOf = (i: number): number | null => (i % 10 === 3 ? Math.floor(i / 10) % ALBUMS : null);

  let albumCopies = 0;
  const used = new Set<number>();
  for (let i = 3; i < files; i += 10) {
    albumCopies++;
    used.add(Math.floor(i / 10) % ALBUMS);
  }

  function* entriesOf(p: number): Generator<ArchiveEntry> {
    for (const k of used) {
      if (k % parts === p) {
        const data = Buffer.from(albumMetadata('title-only', albumTitle(k)));
        yield { path: `${ROOT}/${albumTitle(k)}/metadata.json`, content: { kind: 'bytes', data } };
      }
    }
    for (let i = 0; i < files; i++) {
      const part = partOf(i);
      const album = albumOf(i);
      const copyPart = next(part);
      if (part !== p && jsonPartOf(i) !== p && (album === null || copyPart !== p)) continue;
      const year = 2024 - (i % years);
      const name = `IMG_${pad(i, 6)}.jpg`;
      const taken = Date.UTC(year, i % 12, 1 + (i % 28), 8 + (i % 12), i % 60, (i * 7) % 60);
      const json = (): Buffer =>
        Buffer.from(photoSidecar({ title: name, taken: new Date(taken).toISOString() }));
      const dir = `${ROOT}/Photos from ${String(year)}`;
      if (part === p)
        yield { path: `${dir}/${name}`, content: { kind: 'bytes', data: uniqueJpeg(base, i) } };
      if (jsonPartOf(i) === p) {
        yield { path: `${dir}/${sidecarName(name)}`, content: { kind: 'bytes', data: json() } };
      }
      if (album !== null && copyPart === p) {
        const albumDir = `${ROOT}/${albumTitle(album)}`;
        yield {
          path: `${albumDir}/${name}`,
          content: { kind: 'bytes', data: uniqueJpeg(base, i) },
        };
        yield {
          path: `${albumDir}/${sidecarName(name)}`,
          content: { kind: 'bytes', data: json() },
        };
      }
    }
  }

  const written = await writeParts(
    { dir: options.dir, format: options.format, parts, gzipLevel: 1 },
    entriesOf,
  );
  return {
    parts: written,
    media: files + albumCopies,
    sidecars: files + albumCopies,
    files,
    albumCopies,
    albums: used.size,
  };
}
