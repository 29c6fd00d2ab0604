// Cases: albums, year and special folders, flags.
import { fromJson, jsonDates, type AssetInput, type ExportBuilder } from './export.builder.js';
import { albumMetadata, type LatLon, type SidecarSpec } from './export.sidecar.js';

export const PLACES = {
  nice: { latitude: 43.6959, longitude: 7.2714 },
  paris: { latitude: 48.8583736, longitude: 2.291901 },
  berlin: { latitude: 52.5163, longitude: 13.3777 },
  tokyo: { latitude: 35.6586, longitude: 139.7454 },
  telAviv: { latitude: 32.0929, longitude: 34.862 },
  /** Exact in EXIF rationals (45°30'0" N, 73°33'45" W). */
  montreal: { latitude: 45.5, longitude: -73.5625 },
  /** Exact in EXIF rationals (33°52'30" S, 151°13'7.5" E). */
  sydney: { latitude: -33.875, longitude: 151.21875 },
} satisfies Record<string, LatLon>;

const FAMILY = 'Family 2019';
const VACANCES = 'Vacances 14/07/19'; // folder: 'Vacances 14-07-19'
const OMA = 'Geburtstag Oma';
const LETO = 'Лето 2020';
const UNTITLED = 'Sans titre(9)'; // an empty title: the folder's name

/** One photo with a sidecar at every copy: [part of the media, folder, part of its JSON]. */
async function photo(
  b: ExportBuilder,
  name: string,
  spec: SidecarSpec,
  copies: [number, string, number][],
): Promise<string[]> {
  const data = await b.media.jpeg();
  return copies.map(([part, dir, jsonPart]) => {
    b.sidecar(jsonPart, dir, name, spec);
    return b.file(part, `${dir}/${name}`, data);
  });
}

export async function addAlbumCases(b: ExportBuilder): Promise<void> {
  // Four localised metadata names, the three generations, an untitled album.
  b.album(FAMILY, 'Summer with the cousins');
  b.file(
    2,
    `${FAMILY}/metadata.json`,
    albumMetadata('albumData', FAMILY, 'Summer with the cousins'),
  );
  b.album(VACANCES, null);
  b.file(0, 'Vacances 14-07-19/métadonnées.json', albumMetadata('full', VACANCES));
  b.album(OMA, null);
  b.file(1, `${OMA}/Metadaten.json`, albumMetadata('title-only', OMA));
  b.album(LETO, 'Дача');
  b.file(2, `${LETO}/метаданные.json`, albumMetadata('full', LETO, 'Дача'));
  b.album(UNTITLED, null);
  b.file(1, `${UNTITLED}/métadonnées.json`, albumMetadata('full', ''));

  // Year copy in part 0, its JSON in part 1; album copies in parts 1 and 2 (JSONs elsewhere).
  let spec: SidecarSpec = {
    title: 'IMG_0420.JPG',
    taken: '2019-07-14T10:00:00Z',
    geo: PLACES.nice,
    geoExif: PLACES.nice,
  };
  let paths = await photo(b, spec.title, spec, [
    [0, 'Photos from 2019', 1],
    [1, 'Vacances 14-07-19', 2],
    [2, FAMILY, 0],
  ]);
  b.asset({
    key: 'year-and-two-albums',
    paths,
    ...jsonDates('2019-07-14T10:00:00Z'),
    ...fromJson(PLACES.nice),
    albums: [VACANCES, FAMILY],
  });

  spec = {
    title: 'IMG_0425.JPG',
    taken: '2019-07-15T16:20:00Z',
    description: 'Promenade des Anglais',
  };
  paths = await photo(b, spec.title, spec, [[2, 'Vacances 14-07-19', 2]]);
  b.asset({
    key: 'album-only',
    paths,
    ...jsonDates('2019-07-15T16:20:00Z'),
    description: 'Promenade des Anglais',
    albums: [VACANCES],
  });

  spec = { title: 'DSC01234.JPG', taken: '2020-03-08T15:00:00Z', people: ['Oma', 'Lena'] };
  paths = await photo(b, spec.title, spec, [
    [2, 'Photos from 2020', 2],
    [1, OMA, 0],
  ]);
  b.asset({
    key: 'album-title-only-metadata',
    paths,
    ...jsonDates('2020-03-08T15:00:00Z'),
    albums: [OMA],
    people: ['Oma', 'Lena'],
  });

  spec = { title: 'IMG_2020.jpg', taken: '2020-07-20T05:00:00Z', geoExif: PLACES.berlin };
  paths = await photo(b, spec.title, spec, [[0, LETO, 0]]);
  b.asset({
    key: 'album-cyrillic',
    paths,
    ...jsonDates('2020-07-20T05:00:00Z'),
    ...fromJson(PLACES.berlin),
    albums: [LETO],
  });

  spec = { title: 'PXL_20231006_063108407.jpg', taken: '2023-10-06T06:31:08Z', geo: PLACES.paris };
  paths = await photo(b, spec.title, spec, [[2, UNTITLED, 2]]);
  b.asset({
    key: 'untitled-album',
    paths,
    ...jsonDates('2023-10-06T06:31:08Z'),
    ...fromJson(PLACES.paris),
    albums: [UNTITLED],
  });
}

export async function addFolderAndFlagCases(b: ExportBuilder): Promise<void> {
  const simple = async (
    key: string,
    part: number,
    dir: string,
    spec: SidecarSpec & { taken: string },
    expect: Partial<AssetInput>,
    copies: [number, string, number][] = [[part, dir, part]],
  ): Promise<void> => {
    const paths = await photo(b, spec.title, spec, copies);
    b.asset({ key, paths, ...jsonDates(spec.taken), ...expect });
  };

  // "1 year ago" (auto-made) is not an album: its copy is a duplicate.
  await simple(
    'auto-folder-copy',
    0,
    'Photos from 2020',
    { title: 'IMG_3100.JPG', taken: '2020-11-26T12:00:00Z' },
    {},
    [
      [0, 'Photos from 2020', 0],
      [1, '1 year ago', 1],
    ],
  );
  await simple(
    'archived-flag',
    1,
    'Photos from 2020',
    { title: 'IMG_3001.JPG', taken: '2020-05-01T08:00:00Z', archived: true },
    { archived: true },
  );
  await simple(
    'archive-folder',
    2,
    'Archive',
    { title: 'IMG_3002.JPG', taken: '2020-05-02T08:00:00Z', archived: true },
    { archived: true },
  );
  // The flag, not the folder, decides.
  await simple(
    'archive-folder-unflagged',
    0,
    'Archive',
    { title: 'IMG_3005.JPG', taken: '2020-05-05T08:00:00Z' },
    {},
  );
  await simple(
    'trashed',
    1,
    'Trash',
    { title: 'IMG_3003.JPG', taken: '2020-05-03T08:00:00Z', trashed: true },
    { trashed: true },
  );
  await simple(
    'locked',
    2,
    'Photos from 2021',
    { title: 'IMG_3004.JPG', taken: '2021-05-04T08:00:00Z', inLockedFolder: true },
    { locked: true },
  );
  await simple(
    'favorite',
    0,
    'Photos from 2021',
    { title: 'IMG_3006.JPG', taken: '2021-05-06T08:00:00Z', favorited: true },
    { favorite: true },
  );
  const description = 'Sunset over the bay — 夕日 🌅';
  await simple(
    'description',
    1,
    'Photos from 2021',
    { title: 'IMG_3007.JPG', taken: '2021-05-07T18:30:00Z', description },
    { description },
  );
  await simple(
    'localised-year-folder',
    1,
    'Fotos von 2018',
    { title: 'IMG_9000.jpg', taken: '2018-12-24T17:00:00Z', geo: PLACES.berlin },
    fromJson(PLACES.berlin),
  );

  // A video in "Failed Videos" (not an album) is still the user's video.
  const video = await b.media.video('mp4', true);
  const name = 'VID_20200202_202020.mp4';
  b.sidecar(2, 'Failed Videos', name, { title: name, taken: '2020-02-02T19:20:20Z' });
  b.asset({
    key: 'failed-videos-folder',
    paths: [b.file(2, `Failed Videos/${name}`, video)],
    type: 'video',
    format: 'mp4',
    ...jsonDates('2020-02-02T19:20:20Z'),
  });
}
