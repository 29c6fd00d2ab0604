import type { WriteTags } from 'exiftool-vendored';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { closeMedia, extractMetadata, MediaUnreadableError } from './index.js';
import { exiftool } from './media.exiftool.js';
import { withTempDir } from './media.testing.js';
import type { ExtractedMetadata, MediaProbe } from './media.types.js';

afterAll(closeMedia);

const JPEG: MediaProbe = { type: 'image', format: 'jpeg', mimeType: 'image/jpeg' };

describe('extractMetadata treats garbage as absent', () => {
  async function jpegWith(dir: string, name: string, tags: WriteTags): Promise<string> {
    const path = join(dir, name);
    await sharp({ create: { width: 64, height: 48, channels: 3, background: '#8a6' } })
      .jpeg()
      .toFile(path);
    await exiftool().write(path, tags, { writeArgs: ['-overwrite_original'] });
    return path;
  }
  const meta = (path: string, hints: object = {}): Promise<ExtractedMetadata> =>
    extractMetadata(path, JPEG, { fileName: basename(path), ...hints });

  it('dates: zero and pre-1826 dates give way to the file name, future ones to file times', async () => {
    await withTempDir(async (dir) => {
      const zero = await jpegWith(dir, 'IMG_20190812_101112.jpg', {
        DateTimeOriginal: '0000:00:00 00:00:00',
        CreateDate: '1800:01:01 00:00:00',
      });
      expect(await meta(zero)).toMatchObject({
        dateSource: 'filename',
        localDateTime: '2019-08-12T10:11:12',
      });
      const future = new Date(Date.now() + 3 * 86_400_000)
        .toISOString()
        .slice(0, 19)
        .replace(/-/g, ':')
        .replace('T', ' ');
      const ahead = await jpegWith(dir, 'ahead.jpg', { DateTimeOriginal: future });
      const fileModifiedAt = new Date('2021-06-01T10:00:00Z');
      expect(await meta(ahead, { fileModifiedAt })).toMatchObject({
        dateSource: 'file-time',
        takenAt: fileModifiedAt,
      });
      const bare = await jpegWith(dir, 'bare.jpg', {});
      expect(await meta(bare)).toMatchObject({
        dateSource: 'none',
        takenAt: null,
        localDateTime: null,
      });
    });
  });

  // (coordinates are written as strings: exiftool-vendored turns numbers into a GPSPosition
  // write that resets the references)
  it('GPS: 0,0 and out-of-range positions are absent, S/W references make negatives', async () => {
    await withTempDir(async (dir) => {
      const zero = await jpegWith(dir, 'zero.jpg', {
        GPSLatitude: '0',
        GPSLatitudeRef: 'N',
        GPSLongitude: '0',
        GPSLongitudeRef: 'E',
      });
      expect(await meta(zero)).toMatchObject({ latitude: null, longitude: null, altitude: null });
      const far = await jpegWith(dir, 'far.jpg', {
        GPSLatitude: '95',
        GPSLatitudeRef: 'N',
        GPSLongitude: '10',
        GPSLongitudeRef: 'E',
      });
      expect(await meta(far)).toMatchObject({ latitude: null, longitude: null });
      const sydney = await jpegWith(dir, 'sydney.jpg', {
        GPSLatitude: '33.8568',
        GPSLatitudeRef: 'S',
        GPSLongitude: '151.2153',
        GPSLongitudeRef: 'E',
      });
      expect(await meta(sydney)).toMatchObject({ latitude: -33.8568, longitude: 151.2153 });
      const ny = await jpegWith(dir, 'ny.jpg', {
        GPSLatitude: '40.7128',
        GPSLatitudeRef: 'N',
        GPSLongitude: '74.006',
        GPSLongitudeRef: 'W',
        DateTimeOriginal: '2024:07:04 21:30:00',
      });
      // no OffsetTimeOriginal: the offset comes from the place (New York, summer time)
      expect(await meta(ny)).toMatchObject({
        latitude: 40.7128,
        longitude: -74.006,
        utcOffsetMinutes: -240,
      });
    });
  });

  it('camera fields: blank, zero and boilerplate values are absent', async () => {
    await withTempDir(async (dir) => {
      const odd = await jpegWith(dir, 'odd.jpg', {
        Make: '   ',
        Model: '',
        FNumber: 0,
        ISO: 0,
        ExposureTime: 0,
        FocalLength: 0,
        ImageDescription: 'OLYMPUS DIGITAL CAMERA',
        'Orientation#': 8,
      });
      expect(await meta(odd)).toMatchObject({
        make: null,
        model: null,
        fNumber: null,
        iso: null,
        exposureTime: null,
        focalLength: null,
        description: null,
        orientation: 8,
        width: 48,
        height: 64,
      });
    });
  });

  it('a damaged file gives a result; an unreadable one MediaUnreadableError', async () => {
    await withTempDir(async (dir) => {
      const junk = join(dir, 'IMG_20200101_000000.jpg');
      await writeFile(
        junk,
        Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0, 8]), Buffer.alloc(500, 7)]),
      );
      expect(await meta(junk)).toMatchObject({ dateSource: 'filename', width: null, make: null });
      await expect(meta(join(dir, 'missing.jpg'))).rejects.toBeInstanceOf(MediaUnreadableError);
      await mkdir(join(dir, 'folder.jpg'));
      await expect(meta(join(dir, 'folder.jpg'))).rejects.toBeInstanceOf(MediaUnreadableError);
    });
  });
});
