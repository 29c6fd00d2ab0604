import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSidecar, type PhotoSidecar, type Sidecar } from './takeout.sidecar.js';

const CORPUS = path.resolve(import.meta.dirname, '../../../../../shared/corpus/takeout');

/** Every JSON of the corpus, by path relative to it. */
function corpusJsons(dir = CORPUS, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? corpusJsons(path.join(dir, e.name), `${prefix}${e.name}/`)
      : e.name.endsWith('.json')
        ? [`${prefix}${e.name}`]
        : [],
  );
}
const readCorpus = (relative: string): Sidecar | null =>
  parseSidecar(readFileSync(path.join(CORPUS, relative), 'utf8'));

const asPhoto = (s: Sidecar | null): PhotoSidecar => {
  if (s?.kind !== 'photo') throw new Error(`not a photo sidecar: ${JSON.stringify(s)}`);
  return s;
};
const photoOf = (json: Record<string, unknown>): PhotoSidecar =>
  asPhoto(parseSidecar(JSON.stringify({ title: 'IMG.jpg', ...json })));
const taken = { photoTakenTime: { timestamp: '1696573800', formatted: '6 oct. 2023' } };
const paris = { latitude: 48.8583736, longitude: 2.291901, altitude: 82.09 };

describe('parseSidecar on the real corpus', () => {
  const jsons = corpusJsons();

  it('finds the 16 corpus JSONs, 2 of them albums', () => {
    expect(jsons).toHaveLength(16);
    expect(jsons.map(readCorpus).filter((s) => s?.kind === 'album')).toHaveLength(2);
  });

  it.each(jsons)('%s parses as a photo or, for métadonnées.json, an album', (relative) => {
    const parsed = readCorpus(relative);
    expect(parsed?.kind).toBe(relative.endsWith('métadonnées.json') ? 'album' : 'photo');
    if (parsed?.kind === 'photo') {
      expect(parsed.takenAt).toBeGreaterThan(Date.UTC(2023, 9, 6));
      expect(parsed.takenAt).toBeLessThan(Date.UTC(2023, 9, 7));
      expect(parsed.location?.latitude).toBe(48.8583736);
      expect(parsed.location?.source).toBe('geoDataExif');
      expect(parsed.uploadedAt).toBe(1697872351000);
      expect(parsed.trashed).toBe(false);
      expect(parsed.inLockedFolder).toBe(false);
    }
  });

  it('reads DSC_0238.JPG(1).json of Takeout3 completely', () => {
    expect(readCorpus('Takeout3/Photos from 2023/DSC_0238.JPG(1).json')).toEqual({
      kind: 'photo',
      title: 'DSC_0238.JPG',
      takenAt: 1696573800000,
      location: { ...paris, source: 'geoDataExif' },
      description: null,
      favorited: false,
      archived: false,
      trashed: false,
      inLockedFolder: false,
      people: [],
      uploadedAt: 1697872351000,
    });
  });

  it('reads the album files: one titled, one untitled (0,0 geoData is no place)', () => {
    expect(readCorpus('Takeout1/Google Photos/Album test 6-10-23/métadonnées.json')).toEqual({
      kind: 'album',
      title: 'Album test 6/10/23',
      description: null,
      date: 1697872351000,
    });
    expect(readCorpus('Takeout2/Google Photos/Sans titre(9)/métadonnées.json')).toEqual({
      kind: 'album',
      title: '',
      description: null,
      date: 1697872351000,
    });
  });

  it('keeps the flags and descriptions Google wrote', () => {
    const album = 'Takeout1/Google Photos/Album test 6-10-23';
    const favorite = asPhoto(readCorpus(`${album}/PXL_20231006_063851485.jpg.json`));
    expect(favorite.favorited).toBe(true);
    expect(favorite.description).toBe('Description from goggle photos');
    expect(asPhoto(readCorpus(`${album}/PXL_20231006_063536303.jpg.json`)).archived).toBe(true);
    // A title that differs from the file name is reported as it is.
    const video = asPhoto(readCorpus(`${album}/PXL_20231006_063909898.LS.mp4.json`));
    expect(video.title).toBe('TST_20231006_063909898.LS.mp4');
    expect(video.location).toEqual({ ...paris, altitude: 0, source: 'geoDataExif' });
  });
});

describe('parseSidecar: what kind of JSON', () => {
  it.each<[string, string]>([
    ['empty text', ''],
    ['not JSON', 'hello'],
    ['broken JSON', '{"title": "x"'],
    ['an array', '[{"title": "x"}]'],
    ['a string', '"title"'],
    ['null', 'null'],
    ['a number', '42'],
  ])('%s → null', (_label, text) => {
    expect(parseSidecar(text)).toBeNull();
  });

  it.each<[string, unknown]>([
    ['user-generated-memory-titles.json', { title: ['"Esquadern" 2020'] }],
    ['print-subscriptions.json', { printSubscriptions: [{ status: 'ACTIVE' }] }],
    ['a print order', { orderId: '123', items: [{ quantity: 2 }], total: '4.99' }],
    ['shared_album_comments.json', { comments: [] }],
    ['an empty object', {}],
    ['a description only', { description: 'x' }],
    ['a null title', { title: null }],
  ])('%s → other', (_label, json) => {
    expect(parseSidecar(JSON.stringify(json))).toEqual({ kind: 'other' });
  });

  it.each<[string, unknown, { title: string; description: string | null; date: number | null }]>([
    [
      'the albumData wrapper',
      {
        albumData: {
          title: 'Vacances',
          description: 'Été',
          access: 'protected',
          date: { timestamp: '1500000000' },
        },
      },
      { title: 'Vacances', description: 'Été', date: 1500000000000 },
    ],
    [
      'the albumData wrapper without title',
      { albumData: {} },
      { title: '', description: null, date: null },
    ],
    [
      'title, description, access, date, location, geoData',
      {
        title: 'Album test 6/10/23',
        description: '',
        access: 'protected',
        date: { timestamp: '1697872351' },
        location: '',
        geoData: { latitude: 0, longitude: 0 },
      },
      { title: 'Album test 6/10/23', description: null, date: 1697872351000 },
    ],
    [
      'only a title (2025)',
      { title: 'Paris 2019' },
      { title: 'Paris 2019', description: null, date: null },
    ],
    ['an untitled album', { title: '' }, { title: '', description: null, date: null }],
    [
      'a localised title',
      { title: 'Поездка' },
      { title: 'Поездка', description: null, date: null },
    ],
    [
      'unknown keys',
      { title: 'A', enrichments: [{}], shared: true },
      { title: 'A', description: null, date: null },
    ],
  ])('%s → album', (_label, json, album) => {
    expect(parseSidecar(JSON.stringify(json))).toEqual({ kind: 'album', ...album });
  });

  it.each<[string, Record<string, unknown>]>([
    ['photoTakenTime', { photoTakenTime: { timestamp: '1' } }],
    ['creationTime', { creationTime: { timestamp: '1' } }],
    ['imageViews', { imageViews: '3' }],
    ['url', { url: 'https://photos.google.com/photo/x' }],
    ['geoDataExif', { geoDataExif: paris }],
    ['photoTakenTime without a title', { photoTakenTime: { timestamp: '1' }, title: undefined }],
    ['photo keys and albumish keys', { ...taken, access: 'protected', date: { timestamp: '1' } }],
  ])('a JSON with %s is a photo sidecar', (_label, json) => {
    expect(parseSidecar(JSON.stringify({ title: 'IMG.jpg', ...json }))?.kind).toBe('photo');
  });

  it('strips a byte order mark', () => {
    expect(parseSidecar(`\uFEFF${JSON.stringify({ title: 'x.jpg', ...taken })}`)?.kind).toBe(
      'photo',
    );
  });
});

describe('parseSidecar: photo fields', () => {
  it.each<[string, unknown, number | null]>([
    ['seconds in a string', { timestamp: '1696573800' }, 1696573800000],
    ['seconds as a number', { timestamp: 1696573800 }, 1696573800000],
    ['spaces around', { timestamp: ' 1696573800 ' }, 1696573800000],
    ['before 1970', { timestamp: '-86400' }, -86400000],
    ['"0" (unknown)', { timestamp: '0' }, null],
    ['0', { timestamp: 0 }, null],
    ['empty', { timestamp: '' }, null],
    ['not a number', { timestamp: 'yesterday' }, null],
    ['a date text', { timestamp: '2023-10-06' }, null],
    ['null', { timestamp: null }, null],
    ['no timestamp', { formatted: '6 oct. 2023, 06:30:00 UTC' }, null],
    ['absurdly far', { timestamp: '1e20' }, null],
  ])('photoTakenTime with %s → %s', (_label, photoTakenTime, takenAt) => {
    expect(photoOf({ photoTakenTime, url: 'u' }).takenAt).toBe(takenAt);
  });

  it('has no takenAt without photoTakenTime (creationTime is the upload, not the capture)', () => {
    const photo = photoOf({ creationTime: { timestamp: '1697872351' } });
    expect(photo.takenAt).toBeNull();
    expect(photo.uploadedAt).toBe(1697872351000);
  });

  const zero = { latitude: 0, longitude: 0, altitude: 0 };
  const london = { latitude: 51.5, longitude: -0.12, altitude: 11 };
  it.each<[string, Record<string, unknown>, PhotoSidecar['location']]>([
    [
      'both, geoDataExif first',
      { geoDataExif: paris, geoData: london },
      { ...paris, source: 'geoDataExif' },
    ],
    [
      'geoDataExif 0,0 → geoData',
      { geoDataExif: zero, geoData: london },
      { ...london, source: 'geoData' },
    ],
    ['only geoData', { geoData: london }, { ...london, source: 'geoData' }],
    ['both 0,0', { geoDataExif: zero, geoData: zero }, null],
    ['none', {}, null],
    [
      'numbers in strings',
      { geoDataExif: { latitude: '48.85', longitude: '2.29', altitude: '35.5' } },
      { latitude: 48.85, longitude: 2.29, altitude: 35.5, source: 'geoDataExif' },
    ],
    [
      'no altitude',
      { geoData: { latitude: 1.5, longitude: 2.5 } },
      { latitude: 1.5, longitude: 2.5, altitude: null, source: 'geoData' },
    ],
    [
      'on the equator (only one 0)',
      { geoData: { latitude: 0, longitude: 32.5, altitude: 1 } },
      { latitude: 0, longitude: 32.5, altitude: 1, source: 'geoData' },
    ],
    ['latitude out of range', { geoDataExif: { latitude: 91, longitude: 2 } }, null],
    ['longitude missing', { geoDataExif: { latitude: 48 } }, null],
    ['not an object', { geoDataExif: '48.85,2.29' }, null],
  ])('location: %s', (_label, json, location) => {
    expect(photoOf({ ...taken, ...json }).location).toEqual(location);
  });

  it.each<[string, unknown, boolean]>([
    ['true', true, true],
    ['"true"', 'true', true],
    ['"TRUE"', 'TRUE', true],
    ['false', false, false],
    ['"false"', 'false', false],
    ['absent', undefined, false],
    ['null', null, false],
  ])('a flag given as %s → %s', (_label, value, expected) => {
    const photo = photoOf({
      ...taken,
      favorited: value,
      archived: value,
      trashed: value,
      inLockedFolder: value,
    });
    expect([photo.favorited, photo.archived, photo.trashed, photo.inLockedFolder]).toEqual(
      Array(4).fill(expected),
    );
  });

  it.each<[string, unknown, string | null]>([
    ['text', 'Au bord de la mer', 'Au bord de la mer'],
    ['empty', '', null],
    ['blank', '  \n', null],
    ['absent', undefined, null],
    ['a number', 42, '42'],
  ])('description as %s', (_label, description, expected) => {
    expect(photoOf({ ...taken, description }).description).toBe(expected);
  });

  it.each<[string, unknown, string[]]>([
    ['names', [{ name: 'Alice' }, { name: 'Bob' }], ['Alice', 'Bob']],
    [
      'empty and repeated names',
      [{ name: 'Alice' }, { name: '' }, {}, { name: 'Alice' }],
      ['Alice'],
    ],
    ['bare strings', ['Alice'], ['Alice']],
    ['not a list', { name: 'Alice' }, []],
    ['absent', undefined, []],
  ])('people as %s', (_label, people, expected) => {
    expect(photoOf({ ...taken, people }).people).toEqual(expected);
  });

  it.each<[string, unknown, string | null]>([
    ['a file name', 'IMG_1234.HEIC', 'IMG_1234.HEIC'],
    ['empty', '', null],
    ['absent', undefined, null],
    ['a title with a slash', 'a/b.jpg', 'a/b.jpg'],
  ])('title as %s', (_label, title, expected) => {
    expect(photoOf({ ...taken, title }).title).toBe(expected);
  });

  it('ignores unknown keys and reads a minimal sidecar', () => {
    expect(
      parseSidecar(
        JSON.stringify({
          photoTakenTime: { timestamp: '100' },
          appSource: { androidPackageName: 'x' },
        }),
      ),
    ).toEqual({
      kind: 'photo',
      title: null,
      takenAt: 100000,
      location: null,
      description: null,
      favorited: false,
      archived: false,
      trashed: false,
      inLockedFolder: false,
      people: [],
      uploadedAt: null,
    });
  });
});
