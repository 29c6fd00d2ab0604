import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sniffFile } from './media.sniff.js';
import { corpus, hasCorpus, withTempDir } from './media.testing.js';
import { MediaUnreadableError } from './media.types.js';

describe.skipIf(!hasCorpus)('sniffFile on the corpus', () => {
  it.each([
    ['exif-samples/jpg/Canon_40D.jpg', 'image', 'jpeg', 'image/jpeg'],
    ['exif-samples/heic/mobile/iphone_13_pro_max.HEIC', 'image', 'heic', 'image/heic'],
    ['metadata-extractor/heic/cheers_1440x960.heic', 'image', 'heic', 'image/heic'],
    ['immich-test-assets/formats/avif/8bit-sRGB.avif', 'image', 'avif', 'image/avif'],
    ['immich-test-assets/formats/webp/denali.webp', 'image', 'webp', 'image/webp'],
    ['immich-test-assets/formats/png/density_plot.png', 'image', 'png', 'image/png'],
    ['immich-test-assets/formats/jxl/8bit-sRGB.jxl', 'image', 'jxl', 'image/jxl'],
    ['exif-samples/tiff/BSG1.tiff', 'image', 'tiff', 'image/tiff'],
    ['metadata-extractor/mov/with-gps.mov', 'video', 'mov', 'video/quicktime'],
    ['metadata-extractor/mp4/with-gps.mp4', 'video', 'mp4', 'video/mp4'],
    ['metadata-extractor/3gp/sample.3gp', 'video', '3gp', 'video/3gpp'],
    // the extension lies: this "NEF" is a JPEG written by a Nikon
    ['metadata-extractor/nef/Issue 247-1.nef', 'image', 'jpeg', 'image/jpeg'],
  ])('%s', async (file, type, format, mimeType) => {
    expect(await sniffFile(corpus(file))).toEqual({ type, format, mimeType });
  });

  it('refuses text files', async () => {
    expect(await sniffFile(corpus('exif-samples/jpg/orientation/README'))).toBeNull();
  });
});

function tiff(entries: [number, number, number][]): Buffer {
  // little-endian TIFF with SHORT/LONG entries whose values fit in the entry itself
  const buf = Buffer.alloc(8 + 2 + entries.length * 12 + 4 + 16);
  buf.write('II*\0', 0, 'latin1');
  buf.writeUInt32LE(8, 4);
  buf.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, value], i) => {
    const at = 10 + i * 12;
    buf.writeUInt16LE(tag, at);
    buf.writeUInt16LE(type, at + 2);
    buf.writeUInt32LE(type === 2 ? 4 : 1, at + 4);
    if (type === 2) buf.write('SONY'.slice(0, 4), at + 8, 'latin1');
    else buf.writeUInt32LE(value, at + 8);
  });
  return buf;
}

const ftyp = (major: string, ...compatible: string[]): Buffer => {
  const body = Buffer.from(major + '\0\0\0\0' + compatible.join(''), 'latin1');
  const size = Buffer.alloc(4);
  size.writeUInt32BE(8 + body.length);
  return Buffer.concat([size, Buffer.from('ftyp'), body, Buffer.alloc(64)]);
};

describe('sniffFile by magic bytes', () => {
  const cases: [string, Buffer, string | null][] = [
    ['webm', Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x84]), Buffer.from('webm'), Buffer.alloc(32)]), 'webm'],
    ['mkv', Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0xa3, 0x42, 0x82, 0x88]), Buffer.from('matroska'), Buffer.alloc(32)]), 'mkv'],
    ['avi', Buffer.concat([Buffer.from('RIFF\0\0\0\0AVI LIST'), Buffer.alloc(32)]), 'avi'],
    ['wav is audio', Buffer.concat([Buffer.from('RIFF\0\0\0\0WAVEfmt '), Buffer.alloc(32)]), null],
    ['gif', Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(32)]), 'gif'],
    ['m4a is audio', ftyp('M4A ', 'M4A ', 'mp42', 'isom'), null],
    ['iPhone mov', ftyp('qt  ', 'qt  '), 'mov'],
    ['heic by brand', ftyp('mif1', 'mif1', 'heic'), 'heic'],
    ['avif by brand', ftyp('mif1', 'avif', 'mif1'), 'avif'],
    ['cr3', ftyp('crx ', 'crx ', 'isom'), 'raw'],
    ['old QuickTime without ftyp', Buffer.concat([Buffer.from('\0\0\0\x08wide'), Buffer.alloc(32)]), 'mov'],
    ['jxl codestream', Buffer.concat([Buffer.from([0xff, 0x0a]), Buffer.alloc(32)]), 'jxl'],
    ['cr2', Buffer.concat([Buffer.from('II*\0\x10\0\0\0CR\x02\0'), Buffer.alloc(32)]), 'raw'],
    ['orf', Buffer.concat([Buffer.from('IIRO\x08\0\0\0'), Buffer.alloc(32)]), 'raw'],
    ['raf', Buffer.concat([Buffer.from('FUJIFILMCCD-RAW 0201'), Buffer.alloc(32)]), 'raw'],
    ['dng (DNGVersion in IFD0)', tiff([[0xc612, 1, 0x00000401]]), 'raw'],
    ['camera raw with SubIFDs', tiff([[0x010f, 2, 0], [0x014a, 4, 100]]), 'raw'],
    ['plain tiff', tiff([[0x0100, 3, 10], [0x0101, 3, 10]]), 'tiff'],
    ['text', Buffer.from('hello, this is not a picture at all'), null],
    ['too short', Buffer.from([0xff, 0xd8]), null],
  ]; // prettier-ignore

  it('classifies headers and refuses the rest', async () => {
    await withTempDir(async (dir) => {
      for (const [name, bytes, format] of cases) {
        const file = join(dir, name.replace(/\W+/g, '_'));
        await writeFile(file, bytes);
        expect((await sniffFile(file))?.format ?? null, name).toBe(format);
      }
    });
  });

  it('throws MediaUnreadableError for missing files and directories', async () => {
    await withTempDir(async (dir) => {
      await expect(sniffFile(join(dir, 'missing.jpg'))).rejects.toBeInstanceOf(
        MediaUnreadableError,
      );
      await mkdir(join(dir, 'folder.jpg'));
      await expect(sniffFile(join(dir, 'folder.jpg'))).rejects.toBeInstanceOf(MediaUnreadableError);
    });
  });
});
