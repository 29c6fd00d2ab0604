import { basename } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeMedia, extractMetadata, sniffFile } from './index.js';
import { corpus, hasCorpus } from './media.testing.js';

afterAll(closeMedia);

async function read(path: string, hints: Partial<{ fileName: string }> = {}) {
  const probe = await sniffFile(path);
  if (!probe) throw new Error(`not media: ${path}`);
  return await extractMetadata(path, probe, { fileName: basename(path), ...hints });
}

describe.skipIf(!hasCorpus)('extractMetadata on camera files', () => {
  it('iPhone HEIC: date with sub-seconds and offset, camera, size after irot', async () => {
    const m = await read(corpus('exif-samples/heic/mobile/iphone_13_pro_max.HEIC'));
    expect(m).toMatchObject({
      takenAt: new Date('2022-02-16T11:55:41.762Z'),
      localDateTime: '2022-02-16T12:55:41.762',
      utcOffsetMinutes: 60,
      dateSource: 'exif',
      make: 'Apple',
      model: 'iPhone 13 Pro Max',
      orientation: 6,
      width: 3024,
      height: 4032,
      exposureTime: '1/60',
      fNumber: 1.5,
      iso: 250,
    });
  });

  it('Nikon with GPS: position, and the offset of the place (Europe/Rome)', async () => {
    const m = await read(corpus('exif-samples/jpg/gps/DSCN0010.jpg'));
    // GPS 43° 28' 2.81" N, 11° 53' 6.46" E; DateTimeOriginal 2008:10:22 16:28:39
    expect(m.latitude).toBeCloseTo(43 + 28 / 60 + 2.81 / 3600, 5);
    expect(m.longitude).toBeCloseTo(11 + 53 / 60 + 6.46 / 3600, 5);
    expect(m).toMatchObject({
      localDateTime: '2008-10-22T16:28:39',
      utcOffsetMinutes: 120,
      takenAt: new Date('2008-10-22T14:28:39Z'),
      make: 'NIKON',
      model: 'COOLPIX P6000',
    });
  });

  it('signs southern latitudes and western longitudes', async () => {
    const kodak = await read(corpus('exif-samples/jpg/Kodak_CX7530.jpg')); // 0.3713 S, 36.0564 E
    expect(kodak.latitude).toBeCloseTo(-0.3713, 4);
    expect(kodak.longitude).toBeCloseTo(36.0564, 3);
    const utah = await read(
      corpus('immich-test-assets/metadata/gps-position/thompson-springs.jpg'),
    );
    expect(utah.longitude).toBeCloseTo(-108.401, 3); // 108° 24' 3.49" W
    expect(utah.altitude).toBeCloseTo(1483.9, 1);
    expect(utah.dateSource).toBe('xmp'); // XMP-photoshop:DateCreated only
    expect(utah.localDateTime).toBe('2022-01-10T15:15:44.310');
  });

  it('Canon 40D: exposure fields', async () => {
    const m = await read(corpus('exif-samples/jpg/Canon_40D.jpg'));
    expect(m).toMatchObject({
      takenAt: new Date('2008-05-30T15:56:01Z'),
      utcOffsetMinutes: null,
      make: 'Canon',
      model: 'Canon EOS 40D',
      width: 100,
      height: 68,
      exposureTime: '1/160',
      fNumber: 7.1,
      focalLength: 135,
      iso: 100,
    });
  });

  it('takes the zone an XMP copy of the same time carries (Pentax K10D, +09:00)', async () => {
    const m = await read(corpus('exif-samples/jpg/Pentax_K10D.jpg'));
    expect(m).toMatchObject({ localDateTime: '2008-05-04T16:47:24', utcOffsetMinutes: 540 });
  });

  it('swaps width and height for orientations 5-8', async () => {
    const m = await read(corpus('immich-test-assets/metadata/faces/portrait-orientation-6.jpg'));
    expect(m).toMatchObject({ orientation: 6, width: 840, height: 700 }); // stored 700×840
  });

  it('ignores camera-default captions and keeps real ones', async () => {
    expect(
      (await read(corpus('immich-test-assets/formats/jpg/el_torcal_rocks.jpg'))).description,
    ).toBeNull();
    expect(
      (await read(corpus('immich-test-assets/metadata/rating/mongolels.jpg'))).description,
    ).toBe('Mongol Els');
  });

  it('blank GPS tags are absent', async () => {
    const m = await read(corpus('immich-test-assets/metadata/gps-position/empty_gps.jpg'));
    expect([m.latitude, m.longitude, m.altitude]).toEqual([null, null, null]);
  });

  it('iPhone MOV: local time with offset, GPS, rotation, duration', async () => {
    const m = await read(corpus('metadata-extractor/mov/with-gps.mov'));
    expect(m).toMatchObject({
      dateSource: 'quicktime',
      localDateTime: '2019-07-24T11:25:40',
      utcOffsetMinutes: 180,
      takenAt: new Date('2019-07-24T08:25:40Z'),
      latitude: 32.0929,
      longitude: 34.862,
      make: 'Apple',
      model: 'iPhone 6',
      width: 320, // 568×320 rotated by 90°
      height: 568,
      orientation: null,
    });
    expect(m.durationSeconds).toBeCloseTo(4.0, 1);
  });

  it('MP4 and 3GP: UTC creation date, GPS, duration', async () => {
    const mp4 = await read(corpus('metadata-extractor/mp4/with-gps.mp4'));
    expect(mp4).toMatchObject({
      takenAt: new Date('2017-02-22T08:20:28Z'),
      utcOffsetMinutes: 0, // London in February
      latitude: 51.4169,
      longitude: -0.0806,
      width: 1920,
      height: 1080,
    });
    expect(mp4.durationSeconds).toBeCloseTo(0.171, 3);
    const gp3 = await read(corpus('metadata-extractor/3gp/sample.3gp'));
    expect(gp3).toMatchObject({
      takenAt: new Date('2005-10-28T17:36:40Z'),
      width: 176,
      height: 144,
    });
    expect(gp3.durationSeconds).toBeCloseTo(4.93, 2);
  });

  it('the damaged HEIF and the fake NEF still give a result', async () => {
    const broken = await read(
      corpus('metadata-extractor/heic/NegativeArraySizeException.HeifReader.processBoxes.heif'),
    );
    expect(broken.dateSource).toBe('none');
    const nef = await read(corpus('metadata-extractor/nef/Issue 247-1.nef'));
    expect(nef).toMatchObject({
      make: 'NIKON CORPORATION',
      model: 'NIKON D70s',
      width: 2000,
      height: 3008,
    });
  });
});
