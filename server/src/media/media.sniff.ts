import { open, type FileHandle } from 'node:fs/promises';
import { MediaUnreadableError, type MediaProbe } from './media.types.js';

const image = (format: string, mimeType: string): MediaProbe => ({
  type: 'image',
  format,
  mimeType,
});
const video = (format: string, mimeType: string): MediaProbe => ({
  type: 'video',
  format,
  mimeType,
});

const ascii = (buf: Buffer, start: number, end: number): string =>
  buf.toString('latin1', start, Math.min(end, buf.length));

const startsWith = (buf: Buffer, bytes: number[], at = 0): boolean =>
  buf.length >= at + bytes.length && bytes.every((b, i) => buf[at + i] === b);

const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);
const HEIF_BRANDS = new Set(['mif1', 'msf1', 'mif2', 'miaf']);
const MP4_BRANDS = new Set([
  'isom', 'iso2', 'iso4', 'iso5', 'iso6', 'mp41', 'mp42', 'avc1', 'M4V ', 'M4VH', 'M4VP', 'dash',
  'mmp4', 'MSNV', 'XAVC', 'f4v ', 'NDAS', 'mp71', 'kddi', 'CAEP',
]); // prettier-ignore
const AUDIO_BRANDS = new Set(['M4A ', 'M4B ', 'M4P ', 'F4A ', 'F4B ']);
const QT_ATOMS = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);

/** Classifies an ISO base media file (HEIF, AVIF, MP4, MOV, 3GP, CR3) by its ftyp box. */
function sniffIsoBmff(buf: Buffer): MediaProbe | null {
  const boxSize = buf.readUInt32BE(0);
  const major = ascii(buf, 8, 12);
  const end = Math.min(buf.length, boxSize >= 16 ? boxSize : 16);
  const brands = [major];
  for (let i = 16; i + 4 <= end; i += 4) brands.push(ascii(buf, i, i + 4));
  const has = (set: Set<string> | string[]): boolean =>
    brands.some((b) => (Array.isArray(set) ? set.includes(b) : set.has(b)));
  if (AUDIO_BRANDS.has(major)) return null;
  if (major === 'crx ') return image('raw', 'image/x-canon-cr3');
  if (major === 'avif' || major === 'avis') return image('avif', 'image/avif');
  if (HEIC_BRANDS.has(major)) return image('heic', 'image/heic');
  if (HEIF_BRANDS.has(major)) {
    if (has(['avif', 'avis'])) return image('avif', 'image/avif');
    return image('heic', has(HEIC_BRANDS) ? 'image/heic' : 'image/heif');
  }
  if (major === 'qt  ') return video('mov', 'video/quicktime');
  if (major.startsWith('3gp') || major.startsWith('3g2')) return video('3gp', 'video/3gpp');
  if (MP4_BRANDS.has(major) || has(MP4_BRANDS)) return video('mp4', 'video/mp4');
  if (has(['qt  '])) return video('mov', 'video/quicktime');
  return null; // M4A audio, unknown brands
}

const RAW_MAKERS =
  /nikon|canon|sony|pentax|ricoh|olympus|om digital|panasonic|leica|fuji|samsung|hasselblad|phase one|sigma|kodak|minolta|mamiya|leaf|epson/i;

/**
 * Plain TIFF and TIFF-based camera RAW share a header; tell them apart by IFD0:
 * DNGVersion, a CFA/linear-raw photometric, or a camera maker with SubIFDs / a reduced IFD0.
 */
async function sniffTiff(fh: FileHandle, buf: Buffer): Promise<MediaProbe> {
  const le = buf[0] === 0x49;
  if (buf.length >= 10 && ascii(buf, 8, 10) === 'CR') return image('raw', 'image/x-canon-cr2');
  const u16 = (b: Buffer, o: number): number => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (b: Buffer, o: number): number => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const ifdOffset = u32(buf, 4);
  const ifd = Buffer.alloc(2 + 12 * 64);
  const { bytesRead } = await fh.read(ifd, 0, ifd.length, ifdOffset);
  if (bytesRead < 2) return image('tiff', 'image/tiff');
  const count = Math.min(u16(ifd, 0), Math.floor((bytesRead - 2) / 12));
  let make = '';
  let subIfds = false;
  let reduced = false;
  for (let i = 0; i < count; i++) {
    const e = 2 + i * 12;
    const tag = u16(ifd, e);
    const value = u16(ifd, e + 8);
    if (tag === 0xc612) return image('raw', 'image/x-adobe-dng');
    if (tag === 0x0106 && (value === 32803 || value === 34892))
      return image('raw', 'image/x-dcraw');
    if (tag === 0x014a) subIfds = true;
    if (tag === 0x00fe && (u32(ifd, e + 8) & 1) === 1) reduced = true;
    if (tag === 0x010f) {
      const n = Math.min(u32(ifd, e + 4), 64);
      const at = n <= 4 ? -1 : u32(ifd, e + 8);
      const makeBuf = Buffer.alloc(n);
      if (at < 0) ifd.copy(makeBuf, 0, e + 8, e + 8 + n);
      else await fh.read(makeBuf, 0, n, at);
      make = makeBuf.toString('latin1');
    }
  }
  if ((subIfds || reduced) && RAW_MAKERS.test(make)) {
    return image('raw', /nikon/i.test(make) ? 'image/x-nikon-nef' : 'image/x-dcraw');
  }
  return image('tiff', 'image/tiff');
}

function sniffMpegTs(buf: Buffer): boolean {
  for (const [start, stride] of [
    [0, 188],
    [4, 192],
  ] as const) {
    if (
      buf.length > start + stride * 2 &&
      [0, 1, 2].every((k) => buf[start + k * stride] === 0x47)
    ) {
      return true;
    }
  }
  return false;
}

/**
 * Identifies a supported image or video by its magic bytes (never by its extension).
 * Returns null for anything else (including empty files); throws MediaUnreadableError
 * when the file cannot be opened or read.
 */
export async function sniffFile(path: string): Promise<MediaProbe | null> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(path, 'r');
    return await sniffOpen(fh);
  } catch (err) {
    throw new MediaUnreadableError(`cannot read file: ${(err as Error).message}`);
  } finally {
    await fh?.close();
  }
}

async function sniffOpen(fh: FileHandle): Promise<MediaProbe | null> {
  const head = Buffer.alloc(4096);
  const { bytesRead } = await fh.read(head, 0, head.length, 0);
  const buf = head.subarray(0, bytesRead);
  if (buf.length < 12) return null;
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return image('jpeg', 'image/jpeg');
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return image('png', 'image/png');
  }
  const first4 = ascii(buf, 0, 4);
  if (first4 === 'GIF8') return image('gif', 'image/gif');
  if (first4 === 'RIFF') {
    const kind = ascii(buf, 8, 12);
    if (kind === 'WEBP') return image('webp', 'image/webp');
    if (kind === 'AVI ') return video('avi', 'video/x-msvideo');
    return null;
  }
  if (first4 === 'II*\0' || first4 === 'MM\0*') return await sniffTiff(fh, buf);
  if (first4 === 'IIRO' || first4 === 'IIRS' || first4 === 'MMOR') {
    return image('raw', 'image/x-olympus-orf');
  }
  if (first4 === 'IIU\0') return image('raw', 'image/x-panasonic-rw2');
  if (ascii(buf, 0, 15) === 'FUJIFILMCCD-RAW') return image('raw', 'image/x-fuji-raf');
  if (startsWith(buf, [0xff, 0x0a])) return image('jxl', 'image/jxl');
  if (startsWith(buf, [0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20, 0x0d, 0x0a, 0x87, 0x0a])) {
    return image('jxl', 'image/jxl');
  }
  const atom = ascii(buf, 4, 8);
  if (atom === 'ftyp') return sniffIsoBmff(buf);
  if (QT_ATOMS.has(atom)) return video('mov', 'video/quicktime');
  if (startsWith(buf, [0x1a, 0x45, 0xdf, 0xa3])) {
    return ascii(buf, 0, 64).includes('webm')
      ? video('webm', 'video/webm')
      : video('mkv', 'video/x-matroska');
  }
  if (sniffMpegTs(buf)) return video('mts', 'video/mp2t');
  return null;
}
