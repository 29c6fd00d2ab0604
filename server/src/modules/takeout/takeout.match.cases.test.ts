import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchSidecars, type SidecarCandidate } from './takeout.match.js';
import { parseSidecar } from './takeout.sidecar.js';
import {
  CORPUS,
  candidates,
  run,
  check,
  jsonName,
  newStyle,
  shuffle,
  UUID,
  LONG,
  LIVE,
  type Side,
  type Case,
} from './takeout.match.testing.js';

describe('matchSidecars: titles, Unicode and case', () => {
  const nfc = 'Été à Noël.jpg';
  const nfd = nfc.normalize('NFD');
  it.each<Case>([
    ['a title names the media', ['Photo.jpg'], [['unrelated.json', 'Photo.jpg']], 'title'],
    ['a slash in the title', ['a_b.jpg'], [['x.json', 'a/b.jpg']], 'title'],
    ['a title without extension', ['Scan.jpg'], [['x.json', 'Scan']], 'title'],
    ['a title in another case', ['Photo.JPG'], [['x.json', 'Photo.jpg']], 'title'],
    ['a title and the counter', ['IMG(1).jpg'], [['x(1).json', 'IMG.jpg']], 'title'],
    ['the title of another photo', ['Photo.jpg'], [['x.json', 'Other.jpg']], null],
    [
      'a title beats a cut name',
      ['IMG_2.jpg'],
      ['IMG_2.jp.json', ['zzz.json', 'IMG_2.jpg']],
      [[0, 1, 'title']],
    ],
    [
      'two names cut alike, JSONs numbered apart',
      [`${LONG}_a.jpg`, `${LONG}_b.jpg`],
      [
        [jsonName(`${LONG}_b.jpg`), `${LONG}_b.jpg`],
        [jsonName(`${LONG}_a.jpg`, { counter: '(1)' }), `${LONG}_a.jpg`],
      ],
      [
        [0, 1, 'title'],
        [1, 0, 'title'],
      ],
    ],
    [
      'a numbered cut JSON: its counter first',
      [`${LONG}.jpg`, `${LONG}(1).jpg`],
      [[jsonName(LONG, { counter: '(1)' }), `${LONG}.jpg`]],
      [[1, 0, 'title']],
    ],
    [
      'a cut JSON to the title it names',
      [`${LONG}_a.jpg`, `${LONG}_b.jpg`],
      [[jsonName(`${LONG}_b.jpg`), `${LONG}_b.jpg`]],
      [[1, 0, 'title']],
    ],
    ['NFD media, NFC JSON', [nfd], [`${nfc}.json`], 'exact'],
    ['NFC media, NFD JSON', [nfc], [`${nfd}.json`], 'exact'],
    ['an NFD title', [nfc], [['y.json', nfd]], 'title'],
    ['.JPG and .jpg.json', ['IMG.JPG'], ['IMG.jpg.json'], 'exact'],
    ['.jpg and .JPG.json', ['IMG.jpg'], ['IMG.JPG.json'], 'exact'],
    [
      'the same case first',
      ['IMG.JPG', 'IMG.jpg'],
      ['IMG.jpg.json', 'IMG.JPG.json'],
      [
        [0, 1, 'exact'],
        [1, 0, 'exact'],
      ],
    ],
    ['case in a cut extension', ['IMG_2.JPG'], ['IMG_2.jp.json'], 'truncated'],
  ])('%s', check);
});

describe('matchSidecars: live photos', () => {
  it.each<Case>([
    [
      'the video never takes the still JSON',
      ['IMG_1.HEIC', 'IMG_1.MOV'],
      ['IMG_1.HEIC.json'],
      'exact',
    ],
    [
      'nor by a title without extension',
      ['IMG_1.HEIC', 'IMG_1.MOV'],
      [['IMG_1.json', 'IMG_1']],
      'title',
    ],
    ['nor by a cut name', [`${LIVE}.HEIC`, `${LIVE}.MOV`], [newStyle(`${LIVE}.HEIC`)], 'truncated'],
    [
      'its own JSON',
      ['IMG_1.HEIC', 'IMG_1.MOV'],
      ['IMG_1.HEIC.json', 'IMG_1.MOV.json'],
      [
        [0, 0, 'exact'],
        [1, 1, 'exact'],
      ],
    ],
    [
      'its own cut suffix',
      ['PXL_20231006_063000139.jpg', 'PXL_20231006_063000139.mp4'],
      [newStyle('PXL_20231006_063000139.mp4')],
      [[1, 0, 'truncated']],
    ],
    ['a Pixel motion file', ['PXL_1.MP.jpg', 'PXL_1.MP'], ['PXL_1.MP.jpg.json'], 'exact'],
    ['a standalone video by a cut name', [`${LIVE}.MOV`], [jsonName(`${LIVE}.MOV`)], 'truncated'],
  ])('%s', check);
});

describe('matchSidecars: invariants', () => {
  const media = [
    ...['IMG.jpg', 'IMG(1).jpg', 'IMG(2).jpg', 'IMG-edited.jpg', 'IMG-edited(1).jpg'],
    ...['IMG_2.jpg', 'IMG_2.jpeg', 'IMG_1234.HEIC', 'IMG_1234.MOV', 'Photo.JPG', 'lonely.png'],
    ...['DSC_0238.JPG', 'DSC_0238(1).JPG', 'DSC_0238_1.JPG', `${UUID}P.jpg`, `${UUID}P(1).jpg`],
    ...[`${LONG}.jpg`, `${LONG}-bearbeitet.jpg`, 'Été.jpg'.normalize('NFD')],
  ];
  const sides: Side[] = [
    ...['IMG.jpg.json', 'IMG.jpg(1).json', 'IMG.jpg.supplemental-metadata(2).json'],
    ...['IMG_2.jp.json', 'IMG_2.jpe.json', 'IMG_1234.HEIC.supplemental-meta.json'],
    ...['DSC_0238.JPG.json', 'DSC_0238.JPG(1).json', 'DSC_0238_1.JPG.json', `${UUID}.json`],
    ...[newStyle(`${LONG}.jpg`), 'Été.jpg.json', 'unused.jpg.json'],
    ['x.json', 'Photo.jpg'],
  ];
  const result = run(media, sides);

  it('matches all but the live video, the lost counter and the lonely one', () => {
    const unmatched = ['lonely.png', 'IMG_1234.MOV', `${UUID}P(1).jpg`];
    expect(Object.keys(result).sort()).toEqual(media.filter((m) => !unmatched.includes(m)).sort());
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])('is the same whatever the order (seed %i)', (seed) => {
    expect(run(shuffle(media, seed), shuffle(sides, seed * 31))).toEqual(result);
  });

  it('gives each sidecar to one non-edited media at most', () => {
    const owners = Object.values(result).flatMap(([s, how]) => (how === 'edited' ? [] : [s]));
    expect(new Set(owners).size).toBe(owners.length);
  });

  it('ignores repeated inputs and returns nothing for nothing', () => {
    expect(run([...media, ...media], [...sides, ...sides])).toEqual(result);
    expect(run([], [])).toEqual({});
    expect(run(media, [])).toEqual({});
    expect(run([], sides)).toEqual({});
  });

  // Its speed is measured by bench/takeout (index and match of 10,000-photo folders); comparing
  // every pair here would take minutes, far past the test's timeout.
  it('matches a big folder: 20,000 photos, 10,000 JSONs, half of them cut deep', () => {
    const big = Array.from({ length: 10000 }, (_, i) => `PXL_${String(i).padStart(9, '0')}.jpg`);
    const long = (m: string): string => m.replace('.jpg', `_${LONG}.jpg`);
    // Half the JSONs with a cut suffix, half cut deep into a long name.
    const bigSides = big.map((m, i) => (i % 2 === 0 ? newStyle(m) : jsonName(long(m))));
    const found = matchSidecars([...big, ...big.map(long)], candidates(bigSides));
    expect(found.size).toBe(10000);
    expect(found.get(long(big[1] ?? ''))?.sidecar).toBe(bigSides[1]);
  });
});

describe('matchSidecars: the corpus folders', () => {
  const folders = [
    'Takeout1/Google Photos/Album test 6-10-23',
    'Takeout2/Google Photos/Photos from 2023',
    'Takeout2/Google Photos/Sans titre(9)',
    'Takeout3/Photos from 2023',
    'no-date',
  ];
  it.each(folders)('%s: every media gets its JSON by exact name or counter', (folder) => {
    const names = readdirSync(path.join(CORPUS, folder));
    const media = names.filter((n) => !n.endsWith('.json'));
    const sides: SidecarCandidate[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const parsed = parseSidecar(readFileSync(path.join(CORPUS, folder, name), 'utf8'));
      if (parsed?.kind === 'photo') sides.push({ name, title: parsed.title });
    }
    const result = matchSidecars(media, sides);
    expect(result.size).toBe(folder === 'no-date' ? 0 : media.length);
    for (const [m, { sidecar, how }] of result) {
      expect(how === 'exact' || how === 'counter').toBe(true);
      expect(sidecar.startsWith(m.replace(/\(\d+\)/u, ''))).toBe(true);
    }
  });
});
