import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ExifTool } from 'exiftool-vendored';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssetView } from '../assets/assets.view.js';
import { api } from '../../test/factories.js';
import { dialects } from '../../test/test-server.js';
import { sha1, startExportFixture, type ExportFixture } from './export.testing.js';

describe.each(dialects)('what a full export holds on %s', (dialect) => {
  let fixture: ExportFixture;
  const et = new ExifTool({ maxProcs: 1, taskTimeoutMillis: 20_000, useMWG: false });
  // T is the test's expectation of the document's shape, as in factories.ts `api`.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
  const json = <T>(relative: string): T =>
    JSON.parse(fixture.file(relative)?.toString() ?? 'null') as T;

  beforeAll(async () => {
    fixture = await startExportFixture(dialect);
  }, 180_000);
  afterAll(async () => {
    await et.end();
    await fixture.server.close();
  });

  it('holds every original byte for byte, the live photo’s video, and a JSON and XMP beside each', () => {
    const { lib, documents, file } = fixture;
    expect(documents.size).toBe(8);
    for (const [id, uploaded] of lib.uploaded) {
      const document = documents.get(id);
      if (!document?.file.path) throw new Error(`no document or original for ${id}`);
      const original = file(document.file.path);
      expect(original && sha1(original)).toBe(sha1(uploaded));
      expect(document.file.sha1).toBe(sha1(uploaded));
      expect(file(`${document.file.path}.json`)).toBeDefined();
      expect(file(document.sidecars.xmp)?.toString()).toContain('<x:xmpmeta');
    }
    const live = documents.get(lib.ids.live);
    expect(live?.motion?.path).toMatch(/MVIMG_20190101_101010\.mp4$/);
    expect(sha1(file(live?.motion?.path ?? '') ?? Buffer.alloc(0))).toBe(sha1(lib.motionVideo));
    expect(documents.get(lib.ids.heic)?.file.mimeType).toBe('image/heic');
    expect(documents.get(lib.ids.video)?.type).toBe('video');
    expect(
      file(documents.get(lib.ids.gps)?.sidecars.thumbnail ?? '')
        ?.subarray(8, 12)
        .toString(),
    ).toBe('WEBP');
  });

  it('writes per asset the dates, place, states, albums and links', async () => {
    const { server, lib, documents } = fixture;
    const gps = documents.get(lib.ids.gps);
    const asset = (
      await api<AssetView>(server, 'GET', `/api/assets/${lib.ids.gps}`, { token: lib.owner.token })
    ).body;
    expect(gps).toMatchObject({
      format: 'pixelunion.asset',
      version: 1,
      description: 'Café <terrasse> & “friends”\non two lines',
      isFavorite: true,
      visibility: 'timeline',
      isTrashed: false,
      date: {
        takenAt: asset.takenAt,
        localDateTime: asset.localDateTime,
        utcOffsetMinutes: asset.utcOffsetMinutes,
        source: asset.dateSource,
      },
      location: { latitude: asset.latitude, longitude: asset.longitude, source: 'exif' },
      camera: { make: asset.make, model: asset.model },
      shareLinkIds: [lib.linkId],
    });
    expect(gps?.albums).toEqual([
      { id: lib.albumId, title: 'Summer / “best” of', ownedByYou: true },
    ]);
    expect(gps?.file.path).toBe(
      `${asset.localDateTime.slice(0, 4)}/${asset.localDateTime.slice(5, 7)}/DSCN0010.jpg`,
    );
    expect(documents.get(lib.ids.archived)).toMatchObject({
      isArchived: true,
      visibility: 'archive',
    });
    const trashed = documents.get(lib.ids.trashed);
    expect(trashed?.isTrashed).toBe(true);
    expect(trashed?.trashedAt).not.toBeNull();
    expect(trashed?.file.path).toMatch(/^Trash\/\d{4}\/\d{2}\/DSCN0012\.jpg$/);
    const locked = documents.get(lib.ids.locked);
    expect(locked).toMatchObject({ isLocked: true, visibility: 'locked' });
    expect(locked?.file.path).toMatch(/^Locked folder\//);
    expect(documents.get(lib.ids.inOthersAlbum)?.albums).toEqual([
      { id: lib.othersAlbumId, title: 'Other’s trip', ownedByYou: false },
    ]);
  });

  it('writes XMP sidecars that exiftool reads back', async () => {
    const { lib, documents, file } = fixture;
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-xmp-'));
    try {
      for (const role of ['gps', 'heic', 'video'] as const) {
        const document = documents.get(lib.ids[role]);
        if (!document) throw new Error(role);
        const xmpFile = path.join(dir, `${role}.xmp`);
        await fsp.writeFile(xmpFile, file(document.sidecars.xmp) ?? '');
        const tags = await et.read(xmpFile);
        expect(tags.errors ?? []).toEqual([]);
        const { date, location } = document;
        const offset = document.date.utcOffset ?? '';
        const raw = `${date.localDateTime.slice(0, 10).replaceAll('-', ':')} ${date.localDateTime.slice(11)}${offset}`;
        const taken = tags.DateTimeOriginal;
        expect(typeof taken === 'object' ? taken.rawValue : taken).toBe(raw);
        if (location) {
          expect(tags.GPSLatitude).toBeCloseTo(location.latitude, 5);
          expect(tags.GPSLongitude).toBeCloseTo(location.longitude, 5);
        }
        if (role === 'gps') {
          expect(location).not.toBeNull();
          expect(tags.Description).toBe('Café <terrasse> & “friends”\non two lines');
          expect(tags.Rating).toBe(5);
        } else {
          expect(tags.Rating).toBeUndefined();
        }
      }
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  it('has the account, albums and share links with their use log', () => {
    const { lib, file } = fixture;
    const account = json<{ user: { id: string; email: string }; usage: { assets: number } }>(
      'account.json',
    );
    expect(account.user).toMatchObject({ id: lib.owner.id, email: lib.owner.email });
    expect(account.usage.assets).toBe(8);
    expect(JSON.stringify(account)).not.toMatch(/\$argon2|password_?hash|token_?hash|key_?hash/i);
    const albums = json<{
      albums: { id: string; members: { userId: string; role: string }[]; assets: unknown[] }[];
      sharedWithYou: { id: string; role: string; yourAssets: { assetId: string }[] }[];
    }>('albums.json');
    expect(albums.albums).toHaveLength(1);
    expect(albums.albums[0]).toMatchObject({
      id: lib.albumId,
      members: [{ userId: lib.other.id, role: 'viewer' }],
    });
    expect(albums.albums[0]?.assets).toHaveLength(3);
    expect(albums.sharedWithYou).toMatchObject([
      { id: lib.othersAlbumId, role: 'editor', yourAssets: [{ assetId: lib.ids.inOthersAlbum }] },
    ]);
    const shares = json<{
      links: { id: string; label: string; assetIds: string[]; events: { kind: string }[] }[];
    }>('shares.json');
    expect(shares.links).toHaveLength(1);
    expect(shares.links[0]).toMatchObject({ id: lib.linkId, label: 'for grandma', viewCount: 2 });
    expect(shares.links[0]?.assetIds.sort()).toEqual([lib.ids.gps, lib.ids.live].sort());
    expect(shares.links[0]?.events.filter((e) => e.kind === 'view')).toHaveLength(2);
    expect(file('README.txt')?.toString()).toContain('extract them all into the same folder');
  });

  it('has an offline index.html that links only to files of the export', () => {
    const { documents, file } = fixture;
    const html = file('index.html')?.toString() ?? '';
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/https?:|<script|url\(|@import/i);
    const targets = [...html.matchAll(/(?:href|src)="([^"]*)"/g)].map((m) => m[1] ?? '');
    expect(targets.length).toBeGreaterThan(8);
    for (const target of targets) {
      if (target.startsWith('#')) {
        expect(html, target).toContain(`id="${target.slice(1)}"`);
        continue;
      }
      expect(target, target).not.toMatch(/^([a-z][a-z0-9+.-]*:|\/)/i);
      const relative = target.replaceAll('&amp;', '&').split('/').map(decodeURIComponent).join('/');
      expect(file(relative), relative).toBeDefined();
    }
    for (const document of documents.values()) {
      expect(html).toContain(
        (document.file.path ?? '').split('/').map(encodeURIComponent).join('/'),
      );
    }
    expect(html).toContain('Summer / “best” of');
    // Each photo is in the group of its month, in its section.
    for (const document of documents.values()) {
      const section = document.isTrashed
        ? 'trash'
        : { timeline: 'timeline', archive: 'archive', locked: 'locked' }[document.visibility];
      const start = html.indexOf(`id="${section}-${document.date.localDateTime.slice(0, 7)}"`);
      const end = html.indexOf('</div></div>', start);
      const href = `href="${(document.file.path ?? '').split('/').map(encodeURIComponent).join('/')}"`;
      expect(start, document.file.path ?? '').toBeGreaterThan(0);
      expect(html.slice(start, end), document.file.path ?? '').toContain(href);
    }
  });
});
