import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sniffFile } from '../../media/media.sniff.js';
import { hasCorpus } from '../../media/media.testing.js';
import { BOMB_SIZE } from './export.cases-others.js';
import { codePoints, MAX_JSON_NAME } from './export.sidecar.js';
import { asset, entry, generateAndList, sha, toFile, type Generated } from './export.testing.js';

const FORMATS = ['zip', 'tgz'] as const;

let dir = '';
const generated = new Map<string, Generated>();

function get(format: string): Generated {
  const g = generated.get(format);
  if (!g) throw new Error(`no ${format} export`);
  return g;
}

describe.skipIf(!hasCorpus)('synthetic Google Takeout exports', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pixelunion-takeout-export-'));
    for (const format of FORMATS) {
      generated.set(format, await generateAndList(join(dir, format), format));
    }
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe.each(FORMATS)('as %s', (format) => {
    it('writes three parts named as Google names them, entries in each', () => {
      const { gen, entries } = get(format);
      expect(gen.parts.map((p) => basename(p))).toEqual(
        [1, 2, 3].map((n) => `takeout-20261126T000000Z-00${String(n)}.${format}`),
      );
      for (const part of [0, 1, 2]) {
        expect(entries.filter((e) => e.part === part).length).toBeGreaterThan(20);
      }
      const roots = [0, 1, 2].map(
        (part) =>
          entries
            .find((e) => e.part === part && e.path.startsWith('Takeout/Google '))
            ?.path.split('/')[1],
      );
      expect(roots).toEqual(['Google Photos', 'Google Fotos', 'Google Фото']);
    });

    it('holds every expected path, and nothing but sidecars and album metadata besides', () => {
      const g = get(format);
      const expected = new Set([
        ...g.gen.assets.flatMap((a) => [...a.paths, ...(a.motionPath ? [a.motionPath] : [])]),
        ...g.gen.others.map((o) => o.path),
      ]);
      for (const path of expected) expect(g.byPath.has(path), path).toBe(true);
      const unexpected = g.entries.filter(
        (e) => !expected.has(e.path) && !e.path.endsWith('.json'),
      );
      expect(unexpected.map((e) => e.path)).toEqual([]);
      expect(g.entries.length).toBe(g.byPath.size); // no path twice
    });

    it('gives each asset the same bytes at all its paths, and bytes of its own', () => {
      const g = get(format);
      const seen = new Map<string, string>();
      for (const a of g.gen.assets) {
        const hashes = new Set(a.paths.map((p) => sha(entry(g, p).data)));
        expect(hashes.size, a.key).toBe(1);
        const hash = [...hashes][0] ?? '';
        expect(seen.get(hash), `${a.key} has the bytes of another asset`).toBeUndefined();
        seen.set(hash, a.key);
      }
    });

    it('makes media that sniff as the expectations say', async () => {
      const g = get(format);
      for (const a of g.gen.assets) {
        const probe = await sniffFile(await toFile(g, entry(g, a.paths[0] ?? ''), `${a.key}.bin`));
        expect({ key: a.key, type: probe?.type, format: probe?.format }).toEqual({
          key: a.key,
          type: a.type,
          format: a.format,
        });
        if (a.motionPath) {
          const motion = await sniffFile(
            await toFile(g, entry(g, a.motionPath), `${a.key}.motion`),
          );
          expect(motion?.type, a.key).toBe('video');
        }
      }
      const text = g.gen.others.find((o) => o.reason === 'not a photo');
      expect(await sniffFile(await toFile(g, entry(g, text?.path ?? ''), 'text.jpg'))).toBeNull();
    });

    it('spreads sidecars and album copies over other parts than their photo', () => {
      const g = get(format);
      const spread = asset(g, 'year-and-two-albums');
      const parts = spread.paths.map((p) => entry(g, p).part);
      expect(new Set(parts).size).toBe(3);
      const yearJson = [...g.byPath.values()].find((e) =>
        /Photos from 2019\/IMG_0420\.JPG\.json$/.test(e.path),
      );
      expect(yearJson?.part).not.toBe(parts[0]);
      const pxl = [...g.byPath.values()].find((e) =>
        e.path.endsWith('IMG_20230512_101010.jpg.supplemental-metadata.json'),
      );
      expect(pxl?.part).not.toBe(entry(g, asset(g, 'supplemental-metadata').paths[0] ?? '').part);
      const live = asset(g, 'live-iphone-heic-named-jpeg');
      expect(entry(g, live.motionPath ?? '').part).not.toBe(entry(g, live.paths[0] ?? '').part);
    });

    it('cuts sidecar names at 51 code points, as Google does', () => {
      const names = get(format).entries.map((e) => e.path.split('/').pop() ?? '');
      const cut = [
        'Screenshot_20230101-101010_Messenger.jpg.suppl.json',
        'PXL_20230513_101010123.jpg.supplemental-metada.json',
        'IMG_20220612_101010_PORTRAIT_BOKEH_HDR_ORIGINA.json',
        'original_1f3c9a2e-8b4d-4e5f-9a6b-7c8d9e0f1a2b_.json',
      ];
      const cjk = names.find((n) => n.startsWith('🌅') && n.endsWith('.jp.json')) ?? '';
      for (const name of [...cut, cjk]) {
        expect(names, name).toContain(name);
        expect(codePoints(name), name).toBe(MAX_JSON_NAME);
      }
      expect(cjk.length).toBeGreaterThan(MAX_JSON_NAME); // UTF-16 units: the emoji counts twice
      for (const name of names.filter((n) => n.endsWith('.json')))
        expect(codePoints(name)).toBeLessThanOrEqual(MAX_JSON_NAME);
      const nfd = asset(get(format), 'nfd-name').paths[0] ?? '';
      expect(nfd).toBe(nfd.normalize('NFD'));
      expect(names).toContain('Été à Genève.jpg.json'.normalize('NFC'));
    });

    it('writes the unsafe entries as they are', () => {
      const g = get(format);
      expect(entry(g, '../../etc/passwd').kind).toBe('file');
      expect(entry(g, '/etc/passwd').kind).toBe('file');
      const link = g.gen.others.find((o) => o.reason === 'symbolic link');
      expect(entry(g, link?.path ?? '')).toMatchObject({ kind: 'symlink', target: '/etc/passwd' });
      const bomb = g.gen.others.find((o) => o.reason === 'ratio');
      if (format === 'zip') {
        const e = entry(g, bomb?.path ?? '');
        expect(e.size).toBe(BOMB_SIZE);
        expect(e.size / (e.compressedSize ?? 1)).toBeGreaterThan(500);
        expect(g.entries.filter((x) => x.part === 2).at(-1)?.path).toBe(e.path);
      } else {
        expect(bomb).toBeUndefined();
        expect(g.gen.notes.join(' ')).toMatch(/zip-bomb/);
      }
    });

    it('lists consistent albums', () => {
      const { gen } = get(format);
      const keys = new Set(gen.assets.map((a) => a.key));
      expect(gen.albums.map((a) => a.title).sort()).toEqual([
        'Family 2019',
        'Geburtstag Oma',
        'Sans titre(9)',
        'Vacances 14/07/19',
        'Лето 2020',
      ]);
      for (const album of gen.albums) {
        expect(album.members.length, album.title).toBeGreaterThan(0);
        for (const key of album.members) expect(keys.has(key)).toBe(true);
      }
      expect(asset(get(format), 'year-and-two-albums').albums).toEqual([
        'Vacances 14/07/19',
        'Family 2019',
      ]);
    });
  });
});
