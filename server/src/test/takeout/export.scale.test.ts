import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listParts } from './export.read.js';
import { generateScaleExport } from './export.scale.js';
import { sha } from './export.testing.js';

describe('the scale export', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pixelunion-takeout-scale-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each(['zip', 'tgz'] as const)(
    'generates a scale export (%s) with the right counts',
    async (format) => {
      const files = format === 'zip' ? 2000 : 300;
      const result = await generateScaleExport({
        dir: join(dir, `scale-${format}`),
        files,
        parts: 4,
        format,
      });
      expect(result.parts).toHaveLength(4);
      expect(result).toMatchObject({
        files,
        media: files + files / 10,
        sidecars: files + files / 10,
        albumCopies: files / 10,
        albums: Math.min(50, files / 10),
      });
      const entries = await listParts(result.parts);
      const jpegs = entries.filter((e) => e.path.endsWith('.jpg'));
      expect(jpegs).toHaveLength(result.media);
      expect(entries.filter((e) => e.path.endsWith('.jpg.json'))).toHaveLength(result.sidecars);
      expect(entries.filter((e) => e.path.endsWith('/metadata.json'))).toHaveLength(result.albums);
      expect(new Set(jpegs.map((e) => sha(e.data))).size).toBe(files);
      for (const part of [0, 1, 2, 3]) expect(entries.some((e) => e.part === part)).toBe(true);
      const sample = jpegs[files - 1]?.data ?? Buffer.alloc(0);
      expect(await sharp(sample).metadata()).toMatchObject({
        format: 'jpeg',
        width: 64,
        height: 48,
      });
      const json = entries.find((e) => e.path.endsWith('.jpg.json'));
      const sidecar = JSON.parse(json?.data?.toString('utf8') ?? '{}') as {
        photoTakenTime?: { timestamp?: unknown };
      };
      expect(sidecar.photoTakenTime?.timestamp).toMatch(/^\d+$/);
      const yearFolders = new Set(
        jpegs.map((e) => /\/Photos from (\d{4})\//.exec(e.path)?.[1]).filter(Boolean),
      );
      expect(yearFolders.size).toBe(10);
    },
  );

  it('spreads the photos over as many year folders as asked, evenly', async () => {
    const result = await generateScaleExport({
      dir: join(dir, 'scale-years'),
      files: 300,
      parts: 2,
      format: 'zip',
      years: 30,
    });
    const perFolder = new Map<string, number>();
    for (const entry of await listParts(result.parts)) {
      const folder = /\/Photos from (\d{4})\/[^/]+\.jpg$/.exec(entry.path)?.[1];
      if (folder) perFolder.set(folder, (perFolder.get(folder) ?? 0) + 1);
    }
    expect(perFolder.size).toBe(30);
    expect(new Set(perFolder.values())).toEqual(new Set([10]));
  });
});
