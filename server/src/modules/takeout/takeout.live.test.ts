import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pairLivePhotos } from './takeout.live.js';

const CORPUS = path.resolve(import.meta.dirname, '../../../../../shared/corpus/takeout');

const pairs = (media: string[]): Record<string, string> =>
  Object.fromEntries(pairLivePhotos(media));

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

describe('pairLivePhotos: iPhone', () => {
  it.each<[string, string[], Record<string, string>]>([
    ['HEIC + MOV', ['IMG_1234.HEIC', 'IMG_1234.MOV'], { 'IMG_1234.MOV': 'IMG_1234.HEIC' }],
    ['lower case', ['img_1234.heic', 'img_1234.mov'], { 'img_1234.mov': 'img_1234.heic' }],
    ['mixed case', ['IMG_1234.heic', 'IMG_1234.MOV'], { 'IMG_1234.MOV': 'IMG_1234.heic' }],
    [
      'stems differing in case',
      ['IMG_1234.HEIC', 'img_1234.mov'],
      { 'img_1234.mov': 'IMG_1234.HEIC' },
    ],
    ['JPG + MP4', ['IMG_1234.JPG', 'IMG_1234.MP4'], { 'IMG_1234.MP4': 'IMG_1234.JPG' }],
    ['jpeg + MOV', ['IMG_1234.jpeg', 'IMG_1234.MOV'], { 'IMG_1234.MOV': 'IMG_1234.jpeg' }],
    ['HEIF + MOV', ['IMG_1234.HEIF', 'IMG_1234.MOV'], { 'IMG_1234.MOV': 'IMG_1234.HEIF' }],
    [
      'counters agree',
      ['IMG_1.HEIC', 'IMG_1.MOV', 'IMG_1(1).HEIC', 'IMG_1(1).MOV'],
      { 'IMG_1.MOV': 'IMG_1.HEIC', 'IMG_1(1).MOV': 'IMG_1(1).HEIC' },
    ],
    ['a counter on one side only', ['IMG_1(1).HEIC', 'IMG_1.MOV'], {}],
    ['a counter on the other side only', ['IMG_1.HEIC', 'IMG_1(1).MOV'], {}],
    [
      'NFD still, NFC video',
      ['Été.HEIC'.normalize('NFD'), 'Été.MOV'],
      { 'Été.MOV': 'Été.HEIC'.normalize('NFD') },
    ],
    [
      'edited copies pair together',
      ['IMG_1-edited.HEIC', 'IMG_1-edited.MOV'],
      { 'IMG_1-edited.MOV': 'IMG_1-edited.HEIC' },
    ],
    ['different stems', ['IMG_1234.HEIC', 'IMG_1235.MOV'], {}],
    ['a PNG is no live still', ['IMG_1234.PNG', 'IMG_1234.MOV'], {}],
    ['an AVI is no live video', ['IMG_1234.HEIC', 'IMG_1234.AVI'], {}],
    ['a video alone', ['VID_1234.mp4'], {}],
    ['a still alone', ['IMG_1234.HEIC'], {}],
    [
      'two stills: HEIC first',
      ['IMG_1.JPG', 'IMG_1.HEIC', 'IMG_1.MOV'],
      { 'IMG_1.MOV': 'IMG_1.HEIC' },
    ],
    [
      'two stills, two videos: best with best',
      ['IMG_1.JPG', 'IMG_1.HEIC', 'IMG_1.MP4', 'IMG_1.MOV'],
      { 'IMG_1.MOV': 'IMG_1.HEIC', 'IMG_1.MP4': 'IMG_1.JPG' },
    ],
    [
      'one still, two videos: MOV first',
      ['IMG_1.HEIC', 'IMG_1.MP4', 'IMG_1.MOV'],
      { 'IMG_1.MOV': 'IMG_1.HEIC' },
    ],
    ['nothing', [], {}],
  ])('%s', (_label, media, expected) => {
    expect(pairs(media)).toEqual(expected);
  });
});

describe('pairLivePhotos: Pixel', () => {
  it.each<[string, string[], Record<string, string>]>([
    ['X.MP.jpg + X.MP', ['PXL_1.MP.jpg', 'PXL_1.MP'], { 'PXL_1.MP': 'PXL_1.MP.jpg' }],
    ['X.MP.JPG + X.MP', ['PXL_1.MP.JPG', 'PXL_1.MP'], { 'PXL_1.MP': 'PXL_1.MP.JPG' }],
    ['X.MP.jpg + X.MP~2', ['PXL_1.MP.jpg', 'PXL_1.MP~2'], { 'PXL_1.MP~2': 'PXL_1.MP.jpg' }],
    ['X.MP~2.jpg + X.MP~2', ['PXL_1.MP~2.jpg', 'PXL_1.MP~2'], { 'PXL_1.MP~2': 'PXL_1.MP~2.jpg' }],
    [
      'a still pairs once: X.MP first',
      ['PXL_1.MP.jpg', 'PXL_1.MP~2', 'PXL_1.MP'],
      { 'PXL_1.MP': 'PXL_1.MP.jpg' },
    ],
    [
      'two stills, two motions (immich-go #405)',
      [
        'PXL_20210102_221126856.MP~2',
        'PXL_20210102_221126856.MP~2.jpg',
        'PXL_20210102_221126856.MP.jpg',
        'PXL_20210102_221126856.MP',
        '20231227_152817.jpg',
        '20231227_152817.MP4',
        'nomotion.MP4',
      ],
      {
        'PXL_20210102_221126856.MP': 'PXL_20210102_221126856.MP.jpg',
        'PXL_20210102_221126856.MP~2': 'PXL_20210102_221126856.MP~2.jpg',
        '20231227_152817.MP4': '20231227_152817.jpg',
      },
    ],
    ['another photo', ['PXL_1.MP.jpg', 'PXL_2.MP'], {}],
    ['a Motion Photo without separate video', ['PXL_1.MP.jpg'], {}],
    [
      'a Pixel video is not live',
      ['PXL_20231006_063909898.LS.mp4', 'PXL_20231006_063909898.jpg'],
      {},
    ],
  ])('%s', (_label, media, expected) => {
    expect(pairs(media)).toEqual(expected);
  });
});

describe('pairLivePhotos: invariants', () => {
  const folder = [
    'IMG_1.HEIC',
    'IMG_1.MOV',
    'IMG_1(1).HEIC',
    'IMG_1(1).MOV',
    'IMG_1.JPG',
    'IMG_1.MP4',
    'IMG_2.heic',
    'IMG_2.mov',
    'IMG_2.MP4',
    'PXL_1.MP.jpg',
    'PXL_1.MP',
    'PXL_1.MP~2',
    'PXL_1.MP~2.jpg',
    'PXL_1.MP~3',
    'PXL_2.MP.JPG',
    'PXL_2.MP~2',
    'VID.mp4',
    'IMG_1.HEIC',
  ];

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('gives the same pairs whatever the order (seed %i)', (seed) => {
    expect(pairs(shuffle(folder, seed))).toEqual(pairs(folder));
  });

  it('pairs a still with at most one motion file, and never a file with itself', () => {
    const result = pairLivePhotos(folder);
    const stills = [...result.values()];
    expect(new Set(stills).size).toBe(stills.length);
    for (const [motion, still] of result) {
      expect(motion).not.toBe(still);
      expect(result.has(still)).toBe(false);
    }
    expect(result.size).toBe(7);
  });

  it('finds no live photo in the corpus folders', () => {
    const folders = [
      'Takeout1/Google Photos/Album test 6-10-23',
      'Takeout2/Google Photos/Photos from 2023',
      'Takeout2/Google Photos/Sans titre(9)',
      'Takeout3/Photos from 2023',
      'no-date',
    ];
    for (const folder of folders) {
      const media = readdirSync(path.join(CORPUS, folder)).filter((n) => !n.endsWith('.json'));
      expect(media.length).toBeGreaterThan(0);
      expect(pairs(media)).toEqual({});
    }
  });
});
