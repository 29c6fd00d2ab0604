import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compareStrings,
  folderName,
  folderYear,
  mediaKindOfExt,
  roleOfName,
  splitEntryPath,
  splitExt,
  stripCounter,
  type EntryRole,
} from './takeout.names.js';

const CORPUS = path.resolve(import.meta.dirname, '../../../../../shared/corpus/takeout');

/** Every file of the corpus, as archive entry paths ('Takeout1/Google Photos/…/x.jpg'). */
function corpusEntries(dir = CORPUS, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? corpusEntries(path.join(dir, e.name), `${prefix}${e.name}/`)
      : [`${prefix}${e.name}`],
  );
}

describe('roleOfName', () => {
  it.each<[string, EntryRole]>([
    ['IMG_1234.jpg.json', 'sidecar-json'],
    ['IMG_1234.jpg.supplemental-metadata.json', 'sidecar-json'],
    ['IMG.jpg(1).json', 'sidecar-json'],
    ['metadata.json', 'sidecar-json'],
    ['métadonnées.json', 'sidecar-json'],
    ['метаданные.json', 'sidecar-json'],
    ['print-subscriptions.json', 'sidecar-json'],
    ['user-generated-memory-titles.json', 'sidecar-json'],
    ['SHOUTING.JSON', 'sidecar-json'],
    ['archive_browser.html', 'ignored'],
    ['index.htm', 'ignored'],
    ['notes.txt', 'ignored'],
    ['orders.csv', 'ignored'],
    ['invoice.PDF', 'ignored'],
    ['manifest.xml', 'ignored'],
    ['.DS_Store', 'ignored'],
    ['Thumbs.db', 'ignored'],
    ['desktop.ini', 'ignored'],
    ['.picasa.ini', 'ignored'],
    ['._IMG_1234.jpg', 'ignored'],
    ['._IMG_1234.jpg.json', 'ignored'],
    ['', 'ignored'],
    ['IMG_1234.jpg', 'media-candidate'],
    ['IMG_1234.HEIC', 'media-candidate'],
    ['IMG_1234.MOV', 'media-candidate'],
    ['PXL_20210102_221126856.MP', 'media-candidate'],
    ['PXL_20210102_221126856.MP~2', 'media-candidate'],
    ['no-extension', 'media-candidate'],
    ['strange.xyz', 'media-candidate'],
    ['photo.json.jpg', 'media-candidate'],
  ])('%j → %s', (name, role) => {
    expect(roleOfName(name)).toBe(role);
  });

  it('classifies every corpus file: JSONs are sidecars, the rest media', () => {
    const entries = corpusEntries();
    expect(entries.length).toBeGreaterThan(20);
    for (const entry of entries) {
      const { name } = splitEntryPath(entry);
      expect(roleOfName(name)).toBe(name.endsWith('.json') ? 'sidecar-json' : 'media-candidate');
    }
  });
});

describe('folderYear', () => {
  it.each<[string, number | null]>([
    ['Photos from 2019', 2019],
    ['Fotos von 2019', 2019],
    ['Photos de 2019', 2019],
    ['Foto dal 2019', 2019],
    ['Zdjęcia z 2019', 2019],
    ['Фото за 2019', 2019],
    ['Fotky z roku 2019', 2019],
    ['Photos from 2019 ', 2019],
    ['Photos from 1900', 1900],
    ['Photos from 2100', 2100],
    ['2019', 2019],
    ['2019年の写真', 2019],
    ['2019년 사진', 2019],
    ['Paris 2019', 2019],
    ['Photos from 1899', null],
    ['Photos from 2101', null],
    ['Photos from 12019', null],
    ['IMG_2019', null],
    ['Photos from 2019 (1)', null],
    ['Untitled(3)', null],
    ['Sans titre(9)', null],
    ['Archive', null],
    ['Trash', null],
    ['1 year ago', null],
    ['Failed Videos', null],
    ['', null],
  ])('%j → %s', (name, year) => {
    expect(folderYear(name)).toBe(year);
  });

  it('reads 2023 from the corpus year folders and nothing from its albums', () => {
    const folders = new Set(corpusEntries().map((e) => folderName(splitEntryPath(e).folder)));
    const years = [...folders].map((f) => [f, folderYear(f)]);
    expect(years).toEqual(
      expect.arrayContaining([
        ['Photos from 2023', 2023],
        ['Sans titre(9)', null],
        ['Album test 6-10-23', null],
      ]),
    );
  });
});

describe('splitEntryPath', () => {
  it.each<[string, string, string]>([
    [
      'Takeout/Google Photos/Photos from 2023/IMG.jpg',
      'Takeout/Google Photos/Photos from 2023',
      'IMG.jpg',
    ],
    ['Takeout/Google Fotos/Album/IMG.jpg.json', 'Takeout/Google Fotos/Album', 'IMG.jpg.json'],
    ['IMG.jpg', '', 'IMG.jpg'],
    ['Takeout/', 'Takeout', ''],
    ['/IMG.jpg', '', 'IMG.jpg'],
    ['a/b.c/d', 'a/b.c', 'd'],
  ])('%j → folder %j, name %j', (entry, folder, name) => {
    expect(splitEntryPath(entry)).toEqual({ folder, name });
  });
});

describe('folderName', () => {
  it.each<[string, string]>([
    ['Takeout/Google Photos/Photos from 2023', 'Photos from 2023'],
    ['Takeout/Google Photos/Sans titre(9)/', 'Sans titre(9)'],
    ['Photos from 2023', 'Photos from 2023'],
    ['', ''],
  ])('%j → %j', (folder, name) => {
    expect(folderName(folder)).toBe(name);
  });
});

describe('name helpers', () => {
  it.each<[string, string, string]>([
    ['IMG.jpg', 'IMG', 'jpg'],
    ['PXL_1.MP.jpg', 'PXL_1.MP', 'jpg'],
    ['PXL_1.MP~2', 'PXL_1', 'MP~2'],
    ['no-extension', 'no-extension', ''],
    ['.DS_Store', '.DS_Store', ''],
    ['IMG_2.', 'IMG_2', ''],
  ])('splitExt(%j) → %j + %j', (name, stem, ext) => {
    expect(splitExt(name)).toEqual({ stem, ext });
  });

  it.each<[string, string, number | null]>([
    ['IMG(1).jpg', 'IMG.jpg', 1],
    ['DSC_0238(12).JPG', 'DSC_0238.JPG', 12],
    ['IMG(1)', 'IMG', 1],
    ['IMG.jpg', 'IMG.jpg', null],
    ['IMG(1)-edited.jpg', 'IMG(1)-edited.jpg', null],
    ['IMG(a).jpg', 'IMG(a).jpg', null],
    ['(1).jpg', '(1).jpg', null],
  ])('stripCounter(%j) → %j, %s', (name, plain, counter) => {
    expect(stripCounter(name)).toEqual({ plain, counter });
  });

  it.each<[string, 'image' | 'video' | null]>([
    ['JPG', 'image'],
    ['heic', 'image'],
    ['MOV', 'video'],
    ['mp4', 'video'],
    ['MP', 'video'],
    ['json', null],
  ])('mediaKindOfExt(%j) → %s', (ext, kind) => {
    expect(mediaKindOfExt(ext)).toBe(kind);
  });

  it('compares by code unit, whatever the locale', () => {
    expect(['b', 'B', 'a', 'é', 'e'].sort(compareStrings)).toEqual(['B', 'a', 'b', 'e', 'é']);
  });
});
