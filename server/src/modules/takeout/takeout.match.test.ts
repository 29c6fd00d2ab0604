import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CORPUS,
  run,
  check,
  SUFFIX,
  jsonName,
  newStyle,
  UUID,
  LONG,
  ORIGINAL,
  PORTRAIT,
  EMOJI,
  BACKYARD,
  FB,
  type Case,
} from './takeout.match.testing.js';

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
