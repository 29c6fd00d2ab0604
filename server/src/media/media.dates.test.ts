import { describe, expect, it } from 'vitest';
import { resolveCaptureDate } from './media.capture.js';
import {
  formatLocal,
  isPlausible,
  parseExifDate,
  parseOffset,
  zoneOffsetAt,
  zoneOffsetForLocal,
} from './media.dates.js';
import { dateFromFilename } from './media.filename.js';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);

describe('parseExifDate', () => {
  it('reads exiftool dates with sub-seconds and zones', () => {
    const d = parseExifDate('2021:04:11 15:47:53.054-05:00');
    expect(d && formatLocal(d)).toBe('2021-04-11T15:47:53.054');
    expect(d?.offsetMinutes).toBe(-300);
    expect(parseExifDate('2023:11:15 12:30:00Z')?.offsetMinutes).toBe(0);
    expect(parseExifDate('2008:10:22 16:28:39')?.offsetMinutes).toBeNull();
    expect(formatLocal(parseExifDate('2000-09-27T14:35:33+02:00') ?? fail())).toBe(
      '2000-09-27T14:35:33',
    );
  });

  it('treats blanks and impossible values as absent', () => {
    for (const v of [
      '',
      '    :  :     :  :  ',
      '0000:00:00 00:00:00',
      '2019:02:30 10:00:00',
      '2019:13:01 10:00:00',
      '2019:01:01 25:00:00',
      '2019:01:01 10:00:00+25:00',
      'garbage',
      42,
      null,
    ]) {
      expect(parseExifDate(v), String(v)).toBeNull();
    }
  });

  it('rejects years before 1826, more than a day ahead, and epoch placeholders', () => {
    const plausible = (s: string): boolean => isPlausible(parseExifDate(s) ?? fail(), NOW);
    expect(plausible('1825:12:31 23:59:59')).toBe(false);
    expect(plausible('1826:01:01 00:00:00')).toBe(true);
    expect(plausible('2026:11:27 11:00:00')).toBe(true);
    expect(plausible('2026:11:28 12:00:01')).toBe(false);
    expect(plausible('1970:01:01 00:00:00')).toBe(false);
    expect(plausible('1904:01:01 00:00:00')).toBe(false);
  });

  it('parses offsets', () => {
    expect(parseOffset('+05:30')).toBe(330);
    expect(parseOffset('-0800')).toBe(-480);
    expect(parseOffset('+15:00')).toBeNull();
    expect(parseOffset('')).toBeNull();
  });
});

describe('time zones from the GPS position', () => {
  it('resolves summer and winter time', () => {
    expect(zoneOffsetAt('Europe/Rome', Date.UTC(2008, 9, 22, 14))).toBe(120);
    expect(zoneOffsetAt('Europe/Rome', Date.UTC(2008, 11, 22, 14))).toBe(60);
    expect(
      zoneOffsetForLocal('America/Denver', parseExifDate('2025:12:01 11:30:00') ?? fail()),
    ).toBe(-420);
    expect(zoneOffsetAt('Not/AZone', 0)).toBeNull();
  });
});

describe('dateFromFilename', () => {
  it.each([
    ['PXL_20231006_063000139.jpg', '2023-10-06T06:30:00.139', true, false],
    ['IMG_20190812_101112.jpg', '2019-08-12T10:11:12', false, false],
    ['VID_20190812_101112_123.mp4', '2019-08-12T10:11:12.123', false, false],
    ['20190812_101112.jpg', '2019-08-12T10:11:12', false, false],
    ['Screenshot_2019-08-12-10-11-12.png', '2019-08-12T10:11:12', false, false],
    ['Screenshot_20190812-101112.png', '2019-08-12T10:11:12', false, false],
    ['2019-08-12 10.11.12.jpg', '2019-08-12T10:11:12', false, false],
    ['WhatsApp Image 2019-08-12 at 10.11.12.jpeg', '2019-08-12T10:11:12', false, false],
    ['IMG-20190812-WA0001.jpg', '2019-08-12T00:00:00', false, true],
    ['some/folder/2019-08-12.jpg', '2019-08-12T00:00:00', false, true],
  ])('%s', (name, local, utc, dateOnly) => {
    const d = dateFromFilename(name);
    expect(d && formatLocal(d.clock)).toBe(local);
    expect(d?.utc).toBe(utc);
    expect(d?.dateOnly).toBe(dateOnly);
  });

  it.each(['DSC_0238.JPG', 'IMG_1234.HEIC', '12345678901234567890.jpg', 'IMG_20191340_101112.jpg'])(
    'finds no date in %s',
    (name) => {
      expect(dateFromFilename(name)).toBeNull();
    },
  );
});

describe('resolveCaptureDate', () => {
  const hints = { fileName: 'photo.jpg' };

  it('prefers DateTimeOriginal with its sub-seconds and OffsetTimeOriginal', () => {
    const tags = {
      'ExifIFD:DateTimeOriginal': '2022:02:16 12:55:41',
      'ExifIFD:SubSecTimeOriginal': 762,
      'ExifIFD:OffsetTimeOriginal': '+01:00',
      'ExifIFD:CreateDate': '2022:02:17 00:00:00',
    };
    expect(resolveCaptureDate(tags, false, hints, null, NOW)).toEqual({
      takenAt: new Date('2022-02-16T11:55:41.762Z'),
      localDateTime: '2022-02-16T12:55:41.762',
      utcOffsetMinutes: 60,
      dateSource: 'exif',
    });
  });

  it('reads the wall-clock as UTC when no offset is known', () => {
    const r = resolveCaptureDate(
      { 'ExifIFD:DateTimeOriginal': '2008:05:30 15:56:01' },
      false,
      hints,
      null,
      NOW,
    );
    expect(r.takenAt?.toISOString()).toBe('2008-05-30T15:56:01.000Z');
    expect(r.utcOffsetMinutes).toBeNull();
  });

  it('skips a garbage EXIF date for CreateDate, then XMP', () => {
    const tags = {
      'ExifIFD:DateTimeOriginal': '0000:00:00 00:00:00',
      'ExifIFD:CreateDate': '1800:01:01 00:00:00',
      'XMP-photoshop:DateCreated': '2013:09:23 10:09:46+02:00',
    };
    const r = resolveCaptureDate(tags, false, hints, null, NOW);
    expect(r.dateSource).toBe('xmp');
    expect(r.takenAt?.toISOString()).toBe('2013-09-23T08:09:46.000Z');
  });

  it('takes QuickTime CreateDate as UTC and shows it in the zone of the GPS position', () => {
    const tags = { 'QuickTime:CreateDate': '2017:02:22 08:20:28' };
    const here = resolveCaptureDate(tags, true, hints, 'Asia/Tokyo', NOW);
    expect(here.takenAt?.toISOString()).toBe('2017-02-22T08:20:28.000Z');
    expect(here.localDateTime).toBe('2017-02-22T17:20:28');
    expect(here.utcOffsetMinutes).toBe(540);
    const nowhere = resolveCaptureDate(tags, true, hints, null, NOW);
    expect(nowhere.localDateTime).toBe('2017-02-22T08:20:28');
    expect(nowhere.utcOffsetMinutes).toBeNull();
  });

  it('falls back to the file name, then the earliest file time, then none', () => {
    const named = resolveCaptureDate({}, false, { fileName: 'IMG_20190812_101112.jpg' }, null, NOW);
    expect(named).toMatchObject({ dateSource: 'filename', localDateTime: '2019-08-12T10:11:12' });
    const fileTime = resolveCaptureDate(
      {},
      false,
      {
        fileName: 'x.jpg',
        fileModifiedAt: new Date('2020-01-02T03:04:05Z'),
        fileCreatedAt: new Date('2024-01-01T00:00:00Z'),
      },
      null,
      NOW,
    );
    expect(fileTime).toMatchObject({
      dateSource: 'file-time',
      localDateTime: '2020-01-02T03:04:05',
    });
    const invalid = { fileName: 'x.jpg', fileModifiedAt: new Date(Number.NaN) };
    expect(resolveCaptureDate({}, false, invalid, null, NOW)).toEqual({
      takenAt: null,
      localDateTime: null,
      utcOffsetMinutes: null,
      dateSource: 'none',
    });
  });
});

function fail(): never {
  throw new Error('unexpected null');
}
