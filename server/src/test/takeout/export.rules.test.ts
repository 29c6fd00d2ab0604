import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExifTool } from 'exiftool-vendored';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCorpus } from '../../media/media.testing.js';
import { asset, entry, generateAndList, toFile, type Generated } from './export.testing.js';

describe.skipIf(!hasCorpus)('the expectations of a synthetic Takeout export', () => {
  let dir = '';
  let zip: Generated;
  const exiftool = new ExifTool({ maxProcs: 1 });
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pixelunion-takeout-rules-'));
    zip = await generateAndList(join(dir, 'zip'), 'zip');
  });
  afterAll(async () => {
    await exiftool.end();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('encodes the decided date rules', () => {
    const g = zip;
    const pick = (key: string) => {
      const { takenAt, localDateTime, utcOffsetMinutes, dateSource } = asset(g, key);
      return [takenAt, localDateTime, utcOffsetMinutes, dateSource];
    };
    expect(pick('exif-offset-and-json')).toEqual([
      '2021-06-01T12:00:00.000Z',
      '2021-06-01T14:00:00',
      120,
      'takeout-json',
    ]);
    expect(pick('exif-local-and-json')).toEqual([
      '2021-03-10T08:00:00.000Z',
      '2021-03-10T13:30:02',
      330,
      'takeout-json',
    ]);
    expect(pick('json-date-changed-exif-offset')).toEqual([
      '2015-08-01T10:00:00.000Z',
      '2015-08-01T11:00:00',
      60,
      'takeout-json',
    ]);
    expect(pick('json-date-changed-exif-local')).toEqual([
      '2015-08-02T10:00:00.000Z',
      '2015-08-02T10:00:00',
      null,
      'takeout-json',
    ]);
    expect(pick('taken-zero-exif')).toEqual([
      '2018-05-20T17:45:30.000Z',
      '2018-05-20T17:45:30',
      null,
      'exif',
    ]);
    expect(pick('taken-missing-exif-offset')).toEqual([
      '2018-05-21T00:15:00.000Z',
      '2018-05-21T09:15:00',
      540,
      'exif',
    ]);
    expect(pick('no-json-exif-offset-gps')).toEqual([
      '2020-03-01T04:30:00.000Z',
      '2020-02-29T23:30:00',
      -300,
      'exif',
    ]);
    expect(pick('no-json-pxl-name')).toEqual([
      '2023-10-06T06:30:00.139Z',
      '2023-10-06T06:30:00',
      null,
      'filename',
    ]);
    expect(pick('no-json-img-name')).toEqual([
      '2019-08-12T10:11:12.000Z',
      '2019-08-12T10:11:12',
      null,
      'filename',
    ]);
    expect(pick('no-json-folder-year')).toEqual([
      '2016-01-01T00:00:00.000Z',
      '2016-01-01T00:00:00',
      null,
      'folder-year',
    ]);
    expect(pick('video-quicktime-offset')).toEqual([
      '2019-07-24T08:25:40.000Z',
      '2019-07-24T11:25:40',
      180,
      'takeout-json',
    ]);
    expect(pick('edited-ja')).toEqual(pick('edited-original-ja'));
    expect(asset(g, 'edited-de').archived).toBe(true);
    expect(asset(g, 'geo-zero-exif-gps')).toMatchObject({
      location: { latitude: -33.875, longitude: 151.21875 },
      locationSource: 'exif',
    });
  });

  it('writes the EXIF and video metadata the expectations rely on', async () => {
    const g = zip;
    const tags = async (key: string, path?: string) => {
      const file = await toFile(g, entry(g, path ?? asset(g, key).paths[0] ?? ''), `exif-${key}`);
      return await exiftool.readRaw<Record<string, unknown>>(file, {
        readArgs: ['-G1', '-a', '-n', '-time:all', '-gps:all', '-OffsetTimeOriginal'],
      });
    };
    expect(await tags('exif-offset-and-json')).toMatchObject({
      'ExifIFD:DateTimeOriginal': '2021:06:01 14:00:00',
      'ExifIFD:OffsetTimeOriginal': '+02:00',
    });
    const noOffset = await tags('exif-local-and-json');
    expect(noOffset['ExifIFD:DateTimeOriginal']).toBe('2021:03:10 13:30:02');
    expect(noOffset['ExifIFD:OffsetTimeOriginal']).toBeUndefined();
    expect(await tags('no-json-exif-offset-gps')).toMatchObject({
      'ExifIFD:OffsetTimeOriginal': '-05:00',
      'GPS:GPSLatitude': 45.5,
      'GPS:GPSLongitude': 73.5625,
      'GPS:GPSLongitudeRef': 'W',
    });
    const gpsOnly = await tags('geo-zero-exif-gps');
    expect(gpsOnly).toMatchObject({ 'GPS:GPSLatitude': 33.875, 'GPS:GPSLatitudeRef': 'S' });
    expect(gpsOnly['ExifIFD:DateTimeOriginal']).toBeUndefined();
    for (const key of ['no-json-folder-year', 'no-json-pxl-name', 'edited-en']) {
      const t = await tags(key);
      expect(
        Object.keys(t).filter((k) => /DateTimeOriginal|GPSLatitude/.test(k)),
        key,
      ).toEqual([]);
    }
    for (const key of ['video', 'mp4-is-mov', 'failed-videos-folder']) {
      const t = await tags(key);
      expect(t['QuickTime:CreateDate'], key).toBe('0000:00:00 00:00:00');
      expect(
        Object.keys(t).filter((k) => /^(Keys|UserData):|GPS/.test(k)),
        key,
      ).toEqual([]);
    }
    expect(await tags('video-quicktime-offset')).toMatchObject({
      'Keys:CreationDate': '2019:07:24 11:25:40+03:00',
    });
  });
});
