import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchSidecars, type MatchHow, type SidecarCandidate } from './takeout.match.js';
import { parseSidecar } from './takeout.sidecar.js';

const CORPUS = path.resolve(import.meta.dirname, '../../../../../shared/corpus/takeout');

type Side = string | [name: string, title: string];
/** media[i] ↔ sides[j] by `how`; a bare MatchHow means media[0] ↔ sides[0]; null: nothing matches. */
type Want = MatchHow | null | [media: number, side: number, how: MatchHow][];
type Case = [label: string, media: string[], sides: Side[], want: Want];

const candidates = (sides: readonly Side[]): SidecarCandidate[] =>
  sides.map((s) =>
    typeof s === 'string' ? { name: s, title: null } : { name: s[0], title: s[1] },
  );
const run = (media: readonly string[], sides: readonly Side[]): Record<string, [string, string]> =>
  Object.fromEntries(
    [...matchSidecars(media, candidates(sides))].map(([m, r]) => [m, [r.sidecar, r.how]]),
  );
const expected = (media: string[], sides: Side[], want: Want): Record<string, [string, string]> => {
  const pairs: [number, number, MatchHow][] =
    want === null ? [] : typeof want === 'string' ? [[0, 0, want]] : want;
  const out: Record<string, [string, string]> = {};
  for (const [m, s, how] of pairs) out[media[m] ?? ''] = [candidates(sides)[s]?.name ?? '', how];
  return out;
};
const check = (_label: string, media: string[], sides: Side[], want: Want): void => {
  expect(run(media, sides)).toEqual(expected(media, sides, want));
};

const SUFFIX = '.supplemental-metadata';
/** The JSON name Google writes for a title: `<title><suffix>` cut to 46 characters (code points), then the counter, then `.json`. */
function jsonName(title: string, { suffix = '', counter = '' } = {}): string {
  const head = Array.from(title + suffix) // code points
    .slice(0, 46)
    .join('');
  return `${head}${counter}.json`;
}
const newStyle = (title: string): string => jsonName(title, { suffix: SUFFIX });

/** A deterministic shuffle (mulberry32), so a failing order can be replayed. */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  let state = seed;
  const random = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const UUID = 'original_1d4caa6f-16c6-4c3d-901b-9387de10e528_';
const LONG = 'a_very_long_file_name_that_google_had_to_cut_short_2019'; // 55 characters
const LIVE = 'A_long_live_photo_name_from_an_iphone_export_1234'; // 49 characters
const ORIGINAL = 'PXL_20230809_20344925.LONG_EXPOSURE-02.ORIGINAL.jpg';
const PORTRAIT = 'PXL_20220405_090123740.PORTRAIT';
const EMOJI = '😀😃😄😁😆😅😂🤣🥲☺️😊😇🙂🙃😉😌😍🥰😘😗😙😚😋';
const BACKYARD = 'Backyard_ceremony_wedding_photography_xxxxxxx_';
const FB = '13039_327707840323_537645323_9470255_27214_n';

it('builds names as Google does: at most 51 code points', () => {
  expect(jsonName(ORIGINAL)).toBe('PXL_20230809_20344925.LONG_EXPOSURE-02.ORIGINA.json');
  expect(newStyle('PXL_20231006_063000139.jpg')).toBe(
    'PXL_20231006_063000139.jpg.supplemental-metada.json',
  );
  expect(Array.from(jsonName(`${LONG}.jpg`))).toHaveLength(51);
  expect(jsonName('IMG.jpg', { suffix: SUFFIX, counter: '(1)' })).toBe(
    'IMG.jpg.supplemental-metadata(1).json',
  );
});

describe('matchSidecars: whole names', () => {
  it.each<Case>([
    ['old style', ['IMG.jpg'], ['IMG.jpg.json'], 'exact'],
    ['new style', ['IMG.jpg'], ['IMG.jpg.supplemental-metadata.json'], 'exact'],
    ['no extension', ['IMG'], ['IMG.json'], 'exact'],
    ['.JSON in capitals', ['IMG.jpg'], ['IMG.jpg.JSON'], 'exact'],
    ['dots in the stem', [`${PORTRAIT}.jpg`], [`${PORTRAIT}.jpg.json`], 'exact'],
    ['a motion still of its own', ['PXL_1.MP~2.jpg'], ['PXL_1.MP~2.jpg.json'], 'exact'],
    ['a name with parentheses', ['Photo (1).jpg'], ['Photo (1).jpg.json'], 'exact'],
    ['a standalone video', ['VID.mp4'], ['VID.mp4.json'], 'exact'],
    [
      'a Pixel LS video',
      ['PXL_20231006_063909898.LS.mp4'],
      ['PXL_20231006_063909898.LS.mp4.json'],
      'exact',
    ],
    ['a neighbour name', ['IMG_12.jpg'], ['IMG_1.jpg.json'], null],
    ['another photo', ['PXL_20211013_220651958.jpg'], ['PXL_20211013_220651983.jpg.json'], null],
    ['the stem in another case', ['img.jpg'], ['IMG.jpg.json'], null],
  ])('%s', check);
});

describe('matchSidecars: cut names', () => {
  // '.s' … '.supplemental-metadat'
  const cut = Array.from({ length: SUFFIX.length - 2 }, (_, i) => SUFFIX.slice(0, i + 2));
  it.each(cut)('IMG.jpg%s.json is a cut suffix', (suffix) => {
    check('', ['IMG.jpg'], [`IMG.jpg${suffix}.json`], 'truncated');
  });

  it.each<Case>([
    ['IMG_2.jp.json', ['IMG_2.jpg'], ['IMG_2.jp.json'], 'truncated'],
    ['…ORIGINA.json for …ORIGINAL.jpg', [ORIGINAL], [jsonName(ORIGINAL)], 'truncated'],
    [
      '51 characters cut in the suffix',
      ['PXL_20231006_063000139.jpg'],
      [newStyle('PXL_20231006_063000139.jpg')],
      'truncated',
    ],
    [
      'cut in the base, extension gone',
      [`${LONG.slice(0, 30)}.jpg`, `${LONG}.jpg`],
      [newStyle(`${LONG}.jpg`)],
      [[1, 0, 'truncated']],
    ],
    [
      'the media cut too (immich-go)',
      [`${ORIGINAL.slice(0, 47)}.jpg`],
      [`${ORIGINAL.slice(0, 45)}.json`],
      'truncated',
    ],
    [
      'cut in the extension (real)',
      ['05yqt21kruxwwlhhgrwrdyb6chhwszi9bqmzu16w0 2.jpg'],
      ['05yqt21kruxwwlhhgrwrdyb6chhwszi9bqmzu16w0 2.jp.json'],
      'truncated',
    ],
    ['emoji: Google counted UTF-16 units', [`${EMOJI}😛.jpg`], [`${EMOJI}.json`], 'truncated'],
    ['a counter after a cut extension', [`${FB}(1).jpg`], [`${FB}.j(1).json`], 'truncated'],
    [
      'a counter after a cut base',
      [`${BACKYARD}m(185).jpg`, `${BACKYARD}m(494).jpg`],
      [`${BACKYARD}(494).json`],
      [[1, 0, 'truncated']],
    ],
    ['a short name is never cut in its base', ['IMG_1234.jpg'], ['IMG_12.json'], null],
    ['the cut extension of another photo', ['IMG_2.jpg'], ['IMG_3.jp.json'], null],
    [
      'the whole name beats a cut one',
      ['IMG_2.jpg'],
      ['IMG_2.jp.json', 'IMG_2.jpg.json'],
      [[0, 1, 'exact']],
    ],
    [
      'the least cut wins',
      ['IMG_2.jpg', 'IMG_2.jpeg'],
      ['IMG_2.jp.json', 'IMG_2.jpe.json'],
      [
        [0, 0, 'truncated'],
        [1, 1, 'truncated'],
      ],
    ],
  ])('%s', check);
});

describe('matchSidecars: counters', () => {
  it.each<Case>([
    ['IMG(1).jpg ↔ IMG.jpg(1).json', ['IMG(1).jpg'], ['IMG.jpg(1).json'], 'counter'],
    ['after the new suffix', ['IMG(1).jpg'], ['IMG.jpg.supplemental-metadata(1).json'], 'counter'],
    ['before the new suffix', ['IMG(1).jpg'], ['IMG.jpg(1).supplemental-metadata.json'], 'counter'],
    ['before a cut suffix', ['IMG(2).jpg'], ['IMG.jpg(2).supplemen.json'], 'truncated'],
    ['HEIC (immich-go)', ['IMG_2710(1).HEIC'], ['IMG_2710.HEIC(1).json'], 'counter'],
    ['IMG.jpg.json never matches IMG(1).jpg', ['IMG(1).jpg'], ['IMG.jpg.json'], null],
    ['nor in the new style', ['IMG(1).jpg'], ['IMG.jpg.supplemental-metadata.json'], null],
    ['nor by its title', ['IMG(1).jpg'], [['IMG.jpg.json', 'IMG.jpg']], null],
    ['IMG.jpg(1).json never matches IMG.jpg', ['IMG.jpg'], ['IMG.jpg(1).json'], null],
    ['nor by its title', ['IMG.jpg'], [['IMG.jpg(1).json', 'IMG.jpg']], null],
    ['another counter', ['IMG(1).jpg'], ['IMG.jpg(2).json'], null],
    [
      'all together',
      ['IMG.jpg', 'IMG(1).jpg', 'IMG(2).jpg'],
      ['IMG.jpg(2).json', 'IMG.jpg.json', 'IMG.jpg(1).json'],
      [
        [0, 1, 'exact'],
        [1, 2, 'counter'],
        [2, 0, 'counter'],
      ],
    ],
  ])('%s', check);

  it('matches the real Takeout3 folder: DSC_0238.JPG, DSC_0238(1).JPG, DSC_0238_1.JPG', () => {
    const names = readdirSync(path.join(CORPUS, 'Takeout3/Photos from 2023'));
    const media = names.filter((n) => !n.endsWith('.json'));
    expect(media.sort()).toEqual(['DSC_0238(1).JPG', 'DSC_0238.JPG', 'DSC_0238_1.JPG']);
    expect(
      run(
        media,
        names.filter((n) => n.endsWith('.json')),
      ),
    ).toEqual({
      'DSC_0238.JPG': ['DSC_0238.JPG.json', 'exact'],
      'DSC_0238(1).JPG': ['DSC_0238.JPG(1).json', 'counter'],
      'DSC_0238_1.JPG': ['DSC_0238_1.JPG.json', 'exact'],
    });
  });
});

describe('matchSidecars: original_<uuid>_ (the cut lost the counter)', () => {
  const json = `${UUID}.json`;
  it.each<Case>([
    ['_P(1).jpg alone', [`${UUID}P(1).jpg`], [json], 'truncated'],
    ['_P.jpg alone', [`${UUID}P.jpg`], [json], 'truncated'],
    // Decision: the media without a counter wins; the JSON's name is cut from its name.
    ['both: _P.jpg wins', [`${UUID}P(1).jpg`, `${UUID}P.jpg`], [json], [[1, 0, 'truncated']]],
    [
      'a counter kept: each its own',
      [`${UUID}P.jpg`, `${UUID}P(1).jpg`],
      [json, `${UUID}(1).json`],
      [
        [0, 0, 'truncated'],
        [1, 1, 'truncated'],
      ],
    ],
    [
      'lost after a cut suffix',
      ['PXL_20231006_063000139_long(1).jpg'],
      [newStyle('PXL_20231006_063000139_long.jpg')],
      'truncated',
    ],
  ])('%s', check);
});

describe('matchSidecars: edited copies', () => {
  const words = [
    'edited',
    'bearbeitet',
    'modifié',
    'modificato',
    'bewerkt',
    'editado',
    'edytowane',
    '編集済み',
    'redigerad',
    'edi',
    'e',
  ];
  it.each(words)('IMG_20190812_101112-%s.jpg takes its original JSON', (word) => {
    const media = ['IMG_20190812_101112.jpg', `IMG_20190812_101112-${word}.jpg`];
    check(
      '',
      media,
      ['IMG_20190812_101112.jpg.supplemental-metadata.json'],
      [
        [0, 0, 'exact'],
        [1, 0, 'edited'],
      ],
    );
  });

  it.each<Case>([
    [
      'a counter: the original with the same counter',
      ['IMG.jpg', 'IMG(1).jpg', 'IMG-edited.jpg', 'IMG-edited(1).jpg'],
      ['IMG.jpg.json', 'IMG.jpg(1).json'],
      [
        [0, 0, 'exact'],
        [1, 1, 'counter'],
        [2, 0, 'edited'],
        [3, 1, 'edited'],
      ],
    ],
    [
      'a counter, the original without',
      ['IMG.jpg', 'IMG-edited(1).jpg'],
      ['IMG.jpg.json'],
      [
        [0, 0, 'exact'],
        [1, 0, 'edited'],
      ],
    ],
    [
      'a HEIC edited as JPEG',
      ['IMG_1.HEIC', 'IMG_1-edited.jpg'],
      ['IMG_1.HEIC.json'],
      [
        [0, 0, 'exact'],
        [1, 0, 'edited'],
      ],
    ],
    [
      'a long Pixel name (immich-go)',
      [`${PORTRAIT}.jpg`, `${PORTRAIT}-modifié.jpg`, 'PXL_20220405_090123741.PORTRAIT-modifié.jpg'],
      [`${PORTRAIT}.jpg.json`],
      [
        [0, 0, 'exact'],
        [1, 0, 'edited'],
      ],
    ],
    [
      'a long original, a cut JSON',
      [`${LONG}.jpg`, `${LONG}-edited.jpg`],
      [jsonName(`${LONG}.jpg`)],
      [
        [0, 0, 'truncated'],
        [1, 0, 'edited'],
      ],
    ],
    [
      'no original in the folder: its JSON',
      ['IMG-edited.jpg'],
      ['IMG.jpg.json'],
      [[0, 0, 'edited']],
    ],
    ['the original there without JSON', ['IMG.jpg', 'IMG-edited.jpg'], ['OTHER.jpg.json'], null],
    [
      'a JSON of its own',
      ['IMG.jpg', 'IMG-edited.jpg'],
      ['IMG.jpg.json', 'IMG-edited.jpg.json'],
      [
        [0, 0, 'exact'],
        [1, 1, 'exact'],
      ],
    ],
    [
      'a date is no edit marker',
      ['IMG_2019.jpg', 'IMG_2019-08-12.jpg'],
      ['IMG_2019.jpg.json'],
      [[0, 0, 'exact']],
    ],
    [
      'a number is no edit marker',
      ['photo.jpg', 'photo-2.jpg'],
      ['photo.jpg.json'],
      [[0, 0, 'exact']],
    ],
    [
      'a video is no edit of a photo',
      ['IMG_1.HEIC', 'IMG_1-edited.mp4'],
      ['IMG_1.HEIC.json'],
      [[0, 0, 'exact']],
    ],
    [
      'an edit of an edit',
      ['IMG.jpg', 'IMG-edited.jpg', 'IMG-edited-edited.jpg'],
      ['IMG.jpg.json'],
      [
        [0, 0, 'exact'],
        [1, 0, 'edited'],
        [2, 0, 'edited'],
      ],
    ],
    [
      'never by prefix',
      [`${UUID}P.jpg`, `${UUID}P(1).jpg`, `${UUID}P-edited.jpg`],
      [`${UUID}.json`],
      [
        [0, 0, 'truncated'],
        [2, 0, 'edited'],
      ],
    ],
  ])('%s', check);
});

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

  it('stays linear on a big folder', () => {
    const big = Array.from({ length: 10000 }, (_, i) => `PXL_${String(i).padStart(9, '0')}.jpg`);
    const long = (m: string): string => m.replace('.jpg', `_${LONG}.jpg`);
    // Half the JSONs with a cut suffix, half cut deep into a long name.
    const bigSides = big.map((m, i) => (i % 2 === 0 ? newStyle(m) : jsonName(long(m))));
    const started = Date.now();
    const found = matchSidecars([...big, ...big.map(long)], candidates(bigSides));
    expect(found.size).toBe(10000);
    expect(found.get(long(big[1] ?? ''))?.sidecar).toBe(bigSides[1]);
    // Well under a second on a quiet machine; comparing every pair would take minutes.
    expect(Date.now() - started).toBeLessThan(10_000);
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
