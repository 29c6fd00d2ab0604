// Cases: capture dates and places (sidecar vs EXIF vs name vs folder), live photos, videos.
import {
  exifDates,
  folderYearDates,
  fromExif,
  fromJson,
  jsonDates,
  nameDates,
  type AssetInput,
  type Dates,
  type ExportBuilder,
} from './export.builder.js';
import { PLACES } from './export.cases.js';
import type { ExifSpec } from './export.media.js';
import type { SidecarSpec } from './export.sidecar.js';

interface DateCase {
  key: string;
  dir: string;
  name: string;
  part: number;
  /** The sidecar (in part `part + 1`), or none. */
  spec?: SidecarSpec;
  exif?: ExifSpec;
  png?: boolean;
  dates: Dates;
  expect?: Partial<AssetInput>;
}

async function dated(b: ExportBuilder, c: DateCase): Promise<void> {
  if (c.spec) b.sidecar(c.part + 1, c.dir, c.name, c.spec);
  const data = c.png ? await b.media.png() : await b.media.jpeg(c.exif);
  b.asset({
    key: c.key,
    paths: [b.file(c.part, `${c.dir}/${c.name}`, data)],
    format: c.png ? 'png' : 'jpeg',
    ...c.dates,
    ...c.expect,
  });
}

export async function addDateCases(b: ExportBuilder): Promise<void> {
  const cases: DateCase[] = [];
  const withJson = (
    key: string,
    dir: string,
    name: string,
    taken: string,
    exif: ExifSpec | undefined,
    more: Partial<SidecarSpec> = {},
    expect: Partial<AssetInput> = {},
  ): void => {
    const spec = { title: name, taken, ...more };
    cases.push({
      key,
      dir,
      name,
      part: cases.length,
      spec,
      exif,
      dates: jsonDates(taken, exif),
      expect,
    });
  };

  // Sidecar instant + EXIF local time (see jsonDates).
  withJson('exif-offset-and-json', 'Photos from 2021', 'IMG_1100.JPG', '2021-06-01T12:00:00Z', {
    dateTimeOriginal: '2021:06:01 14:00:00',
    offset: '+02:00',
  });
  // 5 h 30 min 2 s after the instant: offset +330 (rounded to 15 min), local time from EXIF.
  withJson('exif-local-and-json', 'Photos from 2021', 'IMG_1101.JPG', '2021-03-10T08:00:00Z', {
    dateTimeOriginal: '2021:03:10 13:30:02',
  });
  // The date was changed in Google Photos: the instant is the sidecar's, the offset the EXIF's.
  withJson(
    'json-date-changed-exif-offset',
    'Photos from 2015',
    'IMG_1102.JPG',
    '2015-08-01T10:00:00Z',
    {
      dateTimeOriginal: '2014:01:01 00:00:00',
      offset: '+01:00',
    },
  );
  // … and without an EXIF offset, more than 14 h away: no usable local time (UTC, offset null).
  withJson(
    'json-date-changed-exif-local',
    'Photos from 2015',
    'IMG_1103.JPG',
    '2015-08-02T10:00:00Z',
    {
      dateTimeOriginal: '2014:01:01 00:00:00',
    },
  );

  // No usable sidecar date: EXIF.
  let exif: ExifSpec = { dateTimeOriginal: '2018:05:20 17:45:30' };
  cases.push({
    key: 'taken-zero-exif',
    dir: 'Photos from 2018',
    name: 'DSC_1000.JPG',
    part: 0,
    spec: { title: 'DSC_1000.JPG', taken: '0' },
    exif,
    dates: exifDates(exif),
  });
  exif = { dateTimeOriginal: '2018:05:21 09:15:00', offset: '+09:00' };
  cases.push({
    key: 'taken-missing-exif-offset',
    dir: 'Photos from 2018',
    name: 'DSC_1001.JPG',
    part: 1,
    spec: { title: 'DSC_1001.JPG', taken: null, geoExif: PLACES.tokyo },
    exif,
    dates: exifDates(exif),
    expect: fromJson(PLACES.tokyo),
  });
  exif = { dateTimeOriginal: '2020:02:29 23:30:00', offset: '-05:00', gps: PLACES.montreal };
  cases.push({
    key: 'no-json-exif-offset-gps',
    dir: 'Photos from 2020',
    name: 'DSC_2000.JPG',
    part: 2,
    exif,
    dates: exifDates(exif),
    expect: fromExif(PLACES.montreal),
  });

  // No sidecar, no EXIF: the name, then the folder's year.
  const noJson = (key: string, dir: string, name: string, dates: Dates, png = false): void => {
    cases.push({ key, dir, name, part: cases.length, dates, png });
  };
  noJson(
    'no-json-pxl-name',
    'Photos from 2023',
    'PXL_20231006_063000139.jpg',
    nameDates('2023-10-06T06:30:00.139'),
  );
  noJson(
    'no-json-img-name',
    'Photos from 2019',
    'IMG_20190812_101112.jpg',
    nameDates('2019-08-12T10:11:12'),
  );
  noJson(
    'no-json-screenshot-png',
    'Photos from 2019',
    'Screenshot_2019-08-13-21-22-23.png',
    nameDates('2019-08-13T21:22:23'),
    true,
  );
  noJson('no-json-folder-year', 'Photos from 2016', 'beach.jpg', folderYearDates(2016));

  // Places: geoDataExif, then geoData, then EXIF GPS; 0,0 is none.
  withJson(
    'geo-zero-exif-gps',
    'Photos from 2017',
    'IMG_1700.JPG',
    '2017-09-09T09:09:09Z',
    { gps: PLACES.sydney },
    { geo: 'zero', geoExif: 'zero' },
    fromExif(PLACES.sydney),
  );
  withJson('geo-zero-none', 'Photos from 2017', 'IMG_1701.JPG', '2017-09-10T09:09:09Z', undefined, {
    geo: 'zero',
    geoExif: 'zero',
  });
  withJson(
    'geo-exif-over-geodata',
    'Photos from 2017',
    'IMG_1702.JPG',
    '2017-09-11T09:09:09Z',
    undefined,
    { geo: PLACES.paris, geoExif: PLACES.berlin },
    fromJson(PLACES.berlin),
  );
  withJson(
    'geo-geodata-only',
    'Photos from 2017',
    'IMG_1703.JPG',
    '2017-09-12T09:09:09Z',
    undefined,
    { geo: PLACES.paris, geoExif: 'zero' },
    fromJson(PLACES.paris),
  );
  withJson(
    'geo-json-over-exif-gps',
    'Photos from 2017',
    'IMG_1704.JPG',
    '2017-09-13T09:09:09Z',
    { gps: PLACES.montreal },
    { geoExif: PLACES.nice },
    fromJson(PLACES.nice),
  );

  // Lenient parsing.
  withJson(
    'numbers-as-strings-unknown-keys',
    'Photos from 2016',
    'IMG_1600.JPG',
    '2016-06-16T16:16:16Z',
    undefined,
    {
      geo: PLACES.berlin,
      geoExif: PLACES.berlin,
      numbersAsStrings: true,
      extra: {
        appSource: { androidPackageName: 'com.google.android.GoogleCamera' },
        futureField: { nested: [1, '2', null] },
        photoLastModifiedTime: { timestamp: '1700000000', formatted: '' },
      },
    },
    fromJson(PLACES.berlin),
  );
  withJson(
    'timestamp-as-number',
    'Photos from 2016',
    'IMG_1601.JPG',
    '2016-06-17T16:16:16Z',
    undefined,
    { takenAsNumber: true },
  );

  for (const c of cases) await dated(b, c);
}

export async function addLiveAndVideoCases(b: ExportBuilder): Promise<void> {
  const dir = 'Photos from 2019';
  // iPhone: a JPEG named .HEIC and its .MOV (in another part); the sidecar is the still's only.
  let taken = '2019-07-24T08:30:00Z';
  b.sidecar(0, dir, 'IMG_4000.HEIC', { title: 'IMG_4000.HEIC', taken });
  b.asset({
    key: 'live-iphone-heic-named-jpeg',
    paths: [b.file(0, `${dir}/IMG_4000.HEIC`, await b.media.jpeg())],
    ...jsonDates(taken),
    motionPath: b.file(1, `${dir}/IMG_4000.MOV`, await b.media.video('mov', false)),
  });
  taken = '2019-07-25T08:30:00Z';
  b.sidecar(2, dir, 'IMG_4001.JPG', { title: 'IMG_4001.JPG', taken });
  b.asset({
    key: 'live-iphone-jpg-mp4',
    paths: [b.file(2, `${dir}/IMG_4001.JPG`, await b.media.jpeg())],
    ...jsonDates(taken),
    motionPath: b.file(2, `${dir}/IMG_4001.MP4`, await b.media.video('mp4', false)),
  });
  // Pixel: X.MP.jpg with its sidecar, and the motion part X.MP.
  const pixel = 'PXL_20231006_063536303';
  taken = '2023-10-06T06:35:36Z';
  b.sidecar(1, 'Photos from 2023', `${pixel}.MP.jpg`, { title: `${pixel}.MP.jpg`, taken });
  b.asset({
    key: 'live-pixel-mp',
    paths: [b.file(1, `Photos from 2023/${pixel}.MP.jpg`, await b.media.jpeg())],
    ...jsonDates(taken),
    motionPath: b.file(1, `Photos from 2023/${pixel}.MP`, await b.media.video('mp4', true)),
  });

  // A video with its sidecar (its own dates and GPS removed).
  let name = 'VID_20200704_181500.mp4';
  taken = '2020-07-04T16:15:00Z';
  b.sidecar(2, 'Photos from 2020', name, { title: name, taken, geo: PLACES.paris });
  b.asset({
    key: 'video',
    paths: [b.file(0, `Photos from 2020/${name}`, await b.media.video('mp4', true))],
    type: 'video',
    format: 'mp4',
    ...jsonDates(taken),
    ...fromJson(PLACES.paris),
  });
  // A MOV keeping its Keys:CreationDate 2019-07-24 11:25:40+03:00: local time as for EXIF.
  name = 'IMG_4100.MOV';
  taken = '2019-07-24T08:25:40Z';
  b.sidecar(1, dir, name, { title: name, taken, geoExif: PLACES.telAviv });
  b.asset({
    key: 'video-quicktime-offset',
    paths: [b.file(1, `${dir}/${name}`, await b.media.video('mov', false))],
    type: 'video',
    format: 'mov',
    ...jsonDates(taken, { dateTimeOriginal: '2019:07:24 11:25:40', offset: '+03:00' }),
    ...fromJson(PLACES.telAviv),
  });
}
