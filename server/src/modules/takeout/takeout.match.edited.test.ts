import { describe, it } from 'vitest';
import { check, jsonName, UUID, LONG, PORTRAIT, type Case } from './takeout.match.testing.js';

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
