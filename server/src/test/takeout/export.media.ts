// Small media files whose bytes all differ: JPEG/PNG from seeded noise, videos from the corpus.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExifTool } from 'exiftool-vendored';
import sharp from 'sharp';
import { corpus } from '../../media/media.testing.js';
import type { LatLon } from './export.sidecar.js';

export interface ExifSpec {
  /** 'YYYY:MM:DD HH:mm:ss', a wall clock. */
  dateTimeOriginal?: string;
  /** '+02:00' */
  offset?: string;
  gps?: LatLon;
}

/** Videos taken from the shared corpus (see corpus/README.md). */
export const VIDEO_SOURCES = {
  /** QuickTime ('qt  ' brand), Keys:CreationDate 2019-07-24 11:25:40+03:00, GPS. */
  mov: corpus('metadata-extractor', 'mov', 'with-gps.mov'),
  /** MP4 (mp42), QuickTime CreateDate only, no GPS. */
  mp4: corpus('metadata-extractor', 'mp4', 'sample_mpeg4.mp4'),
} as const;

/** A small, seeded PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CONTAINERS = new Set(['moov', 'trak', 'mdia']);

/**
 * Removes a QuickTime/MP4 file's own capture data in place: zeroes the mvhd/tkhd/mdhd times
 * (exiftool then reads 0000:00:00) and turns moov/meta and moov/udta (Keys:CreationDate, GPS)
 * into 'free' boxes. The file stays a valid movie of the same size.
 */
export function clearMovieMetadata(buf: Buffer, start = 0, end = buf.length, depth = 0): void {
  let at = start;
  while (at + 8 <= end) {
    let size = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    let header = 8;
    if (size === 1) {
      size = Number(buf.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) size = end - at;
    if (size < header) return;
    const body = at + header;
    if (type === 'mvhd' || type === 'tkhd' || type === 'mdhd') {
      const timesLength = buf[body] === 1 ? 16 : 8;
      buf.fill(0, body + 4, body + 4 + timesLength);
    }
    if (depth === 1 && (type === 'meta' || type === 'udta')) buf.write('free', at + 4, 'latin1');
    if (CONTAINERS.has(type)) clearMovieMetadata(buf, body, at + size, depth + 1);
    at += size;
  }
}

/** Makes media files; every call returns bytes no other call returned. */
export class MediaMaker {
  private counter = 0;
  private readonly videos = new Map<string, Buffer>();

  private constructor(
    private readonly dir: string,
    private readonly exiftool: ExifTool,
    private readonly seed: number,
  ) {}

  static async open(seed: number): Promise<MediaMaker> {
    const dir = await mkdtemp(join(tmpdir(), 'pixelunion-takeout-media-'));
    return new MediaMaker(dir, new ExifTool({ maxProcs: 1, taskRetries: 0 }), seed);
  }

  /** Ends this maker's own exiftool process and removes its scratch directory. */
  async close(): Promise<void> {
    await this.exiftool.end();
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Seeded noise with the file's number in its first pixels. */
  private pixels(width: number, height: number): { raw: Buffer; n: number } {
    const n = ++this.counter;
    const random = prng(this.seed * 7919 + n);
    const raw = Buffer.alloc(width * height * 3);
    const base = [random() * 200, random() * 200, random() * 200];
    for (let i = 0; i < raw.length; i++) raw[i] = (base[i % 3] ?? 0) + random() * 55;
    raw.writeUInt32BE(n, 0);
    return { raw, n };
  }

  async jpeg(exif?: ExifSpec): Promise<Buffer> {
    const { raw, n } = this.pixels(32, 24);
    const jpeg = await sharp(raw, { raw: { width: 32, height: 24, channels: 3 } })
      .jpeg({ quality: 90 })
      .toBuffer();
    if (!exif) return jpeg;
    const tags: Record<string, string | number> = {};
    if (exif.dateTimeOriginal) tags.DateTimeOriginal = exif.dateTimeOriginal;
    if (exif.offset) tags.OffsetTimeOriginal = exif.offset;
    if (exif.gps) {
      tags.GPSLatitude = exif.gps.latitude;
      tags.GPSLatitudeRef = exif.gps.latitude < 0 ? 'S' : 'N';
      tags.GPSLongitude = exif.gps.longitude;
      tags.GPSLongitudeRef = exif.gps.longitude < 0 ? 'W' : 'E';
    }
    const path = join(this.dir, `exif-${String(n)}.jpg`);
    await writeFile(path, jpeg);
    await this.exiftool.write(path, tags, { writeArgs: ['-overwrite_original'] });
    return await readFile(path);
  }

  async png(): Promise<Buffer> {
    const { raw } = this.pixels(36, 20);
    return await sharp(raw, { raw: { width: 36, height: 20, channels: 3 } })
      .png()
      .toBuffer();
  }

  /**
   * A corpus video with a unique 'free' box appended (a valid trailing box, so the file still
   * sniffs and plays as before). `clear` removes its own dates and GPS (clearMovieMetadata).
   */
  async video(source: keyof typeof VIDEO_SOURCES, clear: boolean): Promise<Buffer> {
    let original = this.videos.get(source);
    if (!original) {
      original = await readFile(VIDEO_SOURCES[source]);
      this.videos.set(source, original);
    }
    const copy = Buffer.from(original);
    if (clear) clearMovieMetadata(copy);
    const free = Buffer.alloc(32);
    free.writeUInt32BE(free.length, 0);
    free.write('free', 4, 'latin1');
    free.write('pixelunion takeout', 8, 'latin1');
    free.writeUInt32BE(++this.counter, 26);
    free.writeUInt16BE(this.seed & 0xffff, 30);
    return Buffer.concat([copy, free]);
  }
}
