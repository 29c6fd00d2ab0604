import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { orient } from './media.decode.js';
import { corpus, hasCorpus } from './media.testing.js';
import { rgbaTiffWithIcc } from './media.tiff.js';

/** Mean absolute difference of two images squeezed to 48×48 grey. */
async function distance(a: Buffer, b: Buffer): Promise<number> {
  const grey = (x: Buffer) => sharp(x).resize(48, 48, { fit: 'fill' }).greyscale().raw().toBuffer();
  const [pa, pb] = await Promise.all([grey(a), grey(b)]);
  let sum = 0;
  for (let i = 0; i < pa.length; i++) sum += Math.abs((pa[i] ?? 0) - (pb[i] ?? 0));
  return sum / pa.length;
}

describe('colour and orientation helpers', () => {
  it('a TIFF wrapper with an ICC profile lets libvips convert Display P3 to sRGB', async () => {
    const { data, info } = await sharp(
      corpus('immich-test-assets/albums/nature/cyclamen_persicum.jpg'),
    )
      .resize(32, 32, { fit: 'fill' })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const p3 = await sharp(data, { raw: info }).withIccProfile('p3').png().toBuffer();
    const icc = (await sharp(p3).metadata()).icc;
    const p3Values = await sharp(p3, { ignoreIcc: true }).ensureAlpha().raw().toBuffer();
    const back = await sharp(rgbaTiffWithIcc(p3Values, 32, 32, icc ?? Buffer.alloc(0)))
      .toColourspace('srgb')
      .raw()
      .toBuffer();
    let worstUntagged = 0;
    let worstConverted = 0;
    for (let i = 0; i < data.length; i++) {
      worstUntagged = Math.max(worstUntagged, Math.abs((data[i] ?? 0) - (p3Values[i] ?? 0)));
      worstConverted = Math.max(worstConverted, Math.abs((data[i] ?? 0) - (back[i] ?? 0)));
    }
    expect(worstUntagged).toBeGreaterThan(8);
    expect(worstConverted).toBeLessThanOrEqual(2);
  });

  it.skipIf(!hasCorpus)('orient() by hand matches EXIF auto-orientation for 1-8', async () => {
    const upright = await sharp(corpus('exif-samples/jpg/orientation/landscape_1.jpg')).toBuffer();
    for (let o = 1; o <= 8; o++) {
      const file = corpus(`exif-samples/jpg/orientation/landscape_${o}.jpg`);
      const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
      const fixed = await orient(sharp(data, { raw: info }), o)
        .png()
        .toBuffer();
      expect(await distance(fixed, upright), `orientation ${o}`).toBeLessThan(12);
    }
  });
});
