import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { thumbHashToApproximateAspectRatio } from 'thumbhash';
import { afterAll, describe, expect, it } from 'vitest';
import { closeMedia, generateThumbnails, MediaUnreadableError, sniffFile } from './index.js';
import { decodePreview } from './media.decode.js';
import { exiftool } from './media.exiftool.js';
import { extractMetadata } from './media.metadata.js';
import { corpus, eachLimit, hasCorpus, withTempDir } from './media.testing.js';
import { thumbnailSize } from './media.thumbnails.js';

afterAll(closeMedia);

interface Rendered {
  width: number;
  height: number;
  thumbhash: string;
  preview: Metadata;
  thumbnail: Metadata;
  previewPath: string;
}

async function render(path: string, dir: string): Promise<Rendered> {
  const probe = await sniffFile(path);
  if (!probe) throw new Error(`not media: ${path}`);
  const name = basename(path);
  const out = { thumbnailPath: join(dir, `${name}.webp`), previewPath: join(dir, `${name}.jpg`) };
  const r = await generateThumbnails(path, probe, out);
  const [preview, thumbnail] = await Promise.all([
    sharp(out.previewPath).metadata(),
    sharp(out.thumbnailPath).metadata(),
  ]);
  return { ...r, preview, thumbnail, previewPath: out.previewPath };
}

/** Mean absolute difference of two images squeezed to 48×48 grey. */
async function distance(a: string | Buffer, b: string | Buffer): Promise<number> {
  const grey = (x: string | Buffer) =>
    sharp(x).resize(48, 48, { fit: 'fill' }).greyscale().raw().toBuffer();
  const [pa, pb] = await Promise.all([grey(a), grey(b)]);
  let sum = 0;
  for (let i = 0; i < pa.length; i++) sum += Math.abs((pa[i] ?? 0) - (pb[i] ?? 0));
  return sum / pa.length;
}

describe('thumbnail sizes', () => {
  it('~250 px tall, never enlarged, capped at 1000 px wide', () => {
    expect(thumbnailSize(1440, 1080)).toEqual({ width: 333, height: 250 });
    expect(thumbnailSize(100, 68)).toEqual({ width: 100, height: 68 });
    expect(thumbnailSize(1440, 120)).toEqual({ width: 1000, height: 83 });
  });
});

describe.skipIf(!hasCorpus)('generateThumbnails on the corpus', () => {
  it('all eight EXIF orientations come out upright', async () => {
    await withTempDir(async (dir) => {
      for (const kind of ['portrait', 'landscape'] as const) {
        const reference = await render(corpus(`exif-samples/jpg/orientation/${kind}_1.jpg`), dir);
        for (let o = 1; o <= 8; o++) {
          const r = await render(corpus(`exif-samples/jpg/orientation/${kind}_${o}.jpg`), dir);
          expect(r.height > r.width, `${kind}_${o}`).toBe(kind === 'portrait');
          expect([r.width, r.height]).toEqual([reference.width, reference.height]);
          // a wrong rotation or mirror differs by 40+; the same picture by a few levels
          expect(await distance(r.previewPath, reference.previewPath), `${kind}_${o}`).toBeLessThan(
            12,
          );
        }
      }
    });
  });

  it('every HEIC decodes, upright as its metadata says; the broken one is refused', async () => {
    const dirs = ['exif-samples/heic', 'exif-samples/heic/mobile', 'immich-test-assets/formats/heic', 'immich-test-assets/formats/motionphoto', 'metadata-extractor/heic']; // prettier-ignore
    const files: string[] = [];
    for (const d of dirs) {
      for (const f of await readdir(corpus(d))) if (/\.hei[cf]$/i.test(f)) files.push(corpus(d, f));
    }
    const broken = files.filter((f) => f.includes('NegativeArraySizeException'));
    expect(files.length - broken.length).toBeGreaterThanOrEqual(8);
    await withTempDir(async (dir) => {
      await eachLimit(files, 2, async (file) => {
        if (broken.includes(file)) {
          const error = await render(file, dir).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(MediaUnreadableError);
          expect((error as MediaUnreadableError).reason).toMatch(/^cannot decode heic: /);
          return;
        }
        const probe = await sniffFile(file);
        if (!probe) throw new Error(file);
        const [r, meta] = await Promise.all([
          render(file, dir),
          extractMetadata(file, probe, { fileName: basename(file) }),
        ]);
        expect(r.width / r.height, basename(file)).toBeCloseTo(
          (meta.width ?? 0) / (meta.height ?? 1),
          2,
        );
        expect(Math.max(r.width, r.height)).toBe(
          Math.min(1440, Math.max(meta.width ?? 0, meta.height ?? 0)),
        );
      });
    });
  });

  it('the Nikon "NEF" (really a JPEG) gives a preview; the RAW path uses its embedded JPEG', async () => {
    await withTempDir(async (dir) => {
      const file = corpus('metadata-extractor/nef/Issue 247-1.nef');
      const r = await render(file, dir);
      expect([r.width, r.height]).toEqual([957, 1440]);
      const embedded = await decodePreview(file, {
        type: 'image',
        format: 'raw',
        mimeType: 'image/x-nikon-nef',
      });
      expect(embedded.width).toBeGreaterThan(0);
      expect(embedded.width * embedded.height).toBeLessThan(2000 * 3008);
    });
  });

  it('videos give a poster frame, rotated like the video', async () => {
    await withTempDir(async (dir) => {
      const cases: [string, number, number][] = [
        ['metadata-extractor/mov/with-gps.mov', 320, 568], // stored 568×320, rotated 90°
        ['metadata-extractor/mp4/with-gps.mp4', 1440, 810], // 0.17 s long: the first frame
        ['metadata-extractor/mp4/sample_mpeg4.mp4', 190, 240],
        ['metadata-extractor/3gp/sample.3gp', 176, 144],
      ];
      await eachLimit(cases, 2, async ([file, width, height]) => {
        const r = await render(corpus(file), dir);
        expect([r.width, r.height], file).toEqual([width, height]);
        expect(r.thumbnail.format).toBe('webp');
      });
    });
  });

  it('AVIF, WebP, PNG and TIFF render; JPEG XL is refused with a reason', async () => {
    await withTempDir(async (dir) => {
      const ok = [
        'immich-test-assets/formats/avif/8bit-sRGB.avif',
        'immich-test-assets/formats/webp/denali.webp',
        'immich-test-assets/formats/png/density_plot.png',
        'exif-samples/tiff/Picoawards.tiff',
      ];
      for (const file of ok) expect((await render(corpus(file), dir)).preview.format).toBe('jpeg');
      const jxl = await render(corpus('immich-test-assets/formats/jxl/8bit-sRGB.jxl'), dir).catch(
        (e: unknown) => e,
      );
      expect(jxl).toBeInstanceOf(MediaUnreadableError);
      expect((jxl as MediaUnreadableError).reason).toMatch(/^cannot decode jxl: /);
    });
  });

  it('outputs are WebP and JPEG, sRGB, without metadata, never enlarged, with a thumbhash', async () => {
    await withTempDir(async (dir) => {
      const small = await render(corpus('exif-samples/jpg/Canon_40D.jpg'), dir); // 100×68
      expect([small.width, small.height]).toEqual([100, 68]);
      const r = await render(corpus('exif-samples/jpg/gps/DSCN0010.jpg'), dir);
      for (const m of [r.preview, r.thumbnail]) {
        expect(m.exif).toBeUndefined();
        expect(m.icc).toBeUndefined();
        expect(m.space).toBe('srgb');
      }
      expect([r.preview.format, r.thumbnail.format]).toEqual(['jpeg', 'webp']);
      expect([r.thumbnail.width, r.thumbnail.height]).toEqual([333, 250]);
      const hash = Buffer.from(r.thumbhash, 'base64');
      expect(thumbHashToApproximateAspectRatio(hash)).toBeCloseTo(640 / 480, 0);
    });
  });
});

describe('generateThumbnails on generated images', () => {
  it('an AVIF without irot but with EXIF orientation 6 is turned upright (Fujifilm HIF style)', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'sideways.avif');
      // 120×80, blue left third: after "rotate 90° clockwise" the blue is on top
      await sharp({ create: { width: 120, height: 80, channels: 3, background: '#c33' } })
        .composite([
          {
            input: { create: { width: 40, height: 80, channels: 3, background: '#33c' } },
            left: 0,
            top: 0,
          },
        ])
        .avif()
        .toFile(file);
      await exiftool().write(file, { 'Orientation#': 6 }, { writeArgs: ['-overwrite_original'] });
      const probe = await sniffFile(file);
      if (!probe) throw new Error('not sniffed');
      const meta = await extractMetadata(file, probe, { fileName: 'sideways.avif' });
      expect(meta).toMatchObject({ orientation: 6, width: 80, height: 120 });
      const r = await render(file, dir);
      expect([r.width, r.height]).toEqual([80, 120]);
      const { data } = await sharp(r.previewPath).raw().toBuffer({ resolveWithObject: true });
      const at = (x: number, y: number) => [
        ...data.subarray((y * 80 + x) * 3, (y * 80 + x) * 3 + 3),
      ];
      expect(at(40, 5)[2]).toBeGreaterThan(150); // blue on top
      expect(at(40, 115)[0]).toBeGreaterThan(150); // red below
    });
  });

  it('panoramas: thumbnail capped at 1000 px wide; transparency flattened on white', async () => {
    await withTempDir(async (dir) => {
      const pano = join(dir, 'pano.jpg');
      await sharp({ create: { width: 6000, height: 500, channels: 3, background: '#36c' } })
        .jpeg()
        .toFile(pano);
      const r = await render(pano, dir);
      expect([r.width, r.height]).toEqual([1440, 120]);
      expect([r.thumbnail.width, r.thumbnail.height]).toEqual([1000, 83]);

      const clear = join(dir, 'clear.png');
      await sharp({
        create: { width: 40, height: 30, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
      })
        .png()
        .toFile(clear);
      const t = await render(clear, dir);
      const { data } = await sharp(t.previewPath).raw().toBuffer({ resolveWithObject: true });
      expect(Math.min(...data)).toBeGreaterThan(240);
      expect(t.thumbnail.hasAlpha).toBe(true);
    });
  });
});
