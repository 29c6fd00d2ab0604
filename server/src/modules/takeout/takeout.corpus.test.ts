import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createUser, waitForJobs, type TestUser } from '../../test/factories.js';
import { dialects, startTestServer, type TestServer } from '../../test/test-server.js';
import type { AssetView } from '../assets/assets.view.js';
import {
  importParts,
  takeoutTree,
  tgzTrees,
  zipTree,
  type ImportReport,
} from './takeout.testing.js';

// The real trees of ../shared/corpus/takeout: 14 media files, 9 different photos and videos.
const trees = ['Takeout1', 'Takeout2', 'Takeout3'].map(takeoutTree);
const parisLat = 48.8583736;
const parisLon = 2.291901;

const line = (report: ImportReport, suffix: string) => {
  const found = report.files.find((f) => f.path.endsWith(suffix));
  if (!found) throw new Error(`no report line for ${suffix}`);
  return found;
};

describe.each(dialects)('Google Takeout import of the corpus trees (%s)', (dialect) => {
  let server: TestServer;
  let dir: string;
  let zips: string[];
  let admin: TestUser;
  beforeAll(async () => {
    server = await startTestServer(dialect);
    admin = await createUser(server);
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'takeout-corpus-'));
    zips = await Promise.all(
      trees.map((tree, i) => zipTree(tree, path.join(dir, `takeout-00${i + 1}.zip`))),
    );
  });
  afterAll(async () => {
    await server.close();
    await fsp.rm(dir, { recursive: true, force: true });
  });

  const asset = async (user: TestUser, id: string | null) => {
    const { status, body } = await api<AssetView>(server, 'GET', `/api/assets/${id ?? ''}`, {
      token: user.token,
    });
    expect(status).toBe(200);
    return body;
  };

  async function checkLibrary(user: TestUser, report: ImportReport) {
    expect(report.summary).toMatchObject({
      media: 14,
      imported: 9,
      duplicates: 2,
      skipped: 3,
      failed: 0,
      refused: 0,
      pending: 0,
    });
    const eiffel = line(report, 'Photos from 2023/PXL_20231006_063000139.jpg');
    const inAlbum = line(report, 'Album test 6-10-23/PXL_20231006_063000139.jpg');
    // The same photo in a year folder and an album is one asset.
    expect(inAlbum.assetId).toBe(eiffel.assetId);
    expect([eiffel.outcome, inAlbum.outcome].sort()).toEqual(['duplicate', 'imported']);
    const photo = await asset(user, eiffel.assetId);
    expect(photo.takenAt).toBe('2023-10-06T06:30:00.000Z');
    expect(photo.latitude).toBeCloseTo(parisLat, 6);
    expect(photo.longitude).toBeCloseTo(parisLon, 6);
    expect(photo.locationSource).toBe('takeout-json');
    expect(photo.dateSource).toBe('takeout-json');
    const imported = eiffel.outcome === 'imported' ? eiffel : inAlbum;
    expect(imported).toMatchObject({ dateFrom: 'json', locationFrom: 'json' });

    // The counter moved by Google: DSC_0238(1).JPG's metadata is DSC_0238.JPG(1).json.
    expect(line(report, '/DSC_0238(1).JPG').sidecar).toMatch(/\/DSC_0238\.JPG\(1\)\.json$/);
    expect(line(report, '/DSC_0238.JPG').sidecar).toMatch(/\/DSC_0238\.JPG\.json$/);
    expect(line(report, '/DSC_0238_1.JPG').sidecar).toMatch(/\/DSC_0238_1\.JPG\.json$/);
    // Those three files are empty in the corpus: skipped, with the reason.
    expect(line(report, '/DSC_0238(1).JPG')).toMatchObject({ outcome: 'skipped' });
    expect(line(report, '/DSC_0238(1).JPG').detail).toMatch(/empty/);

    const favourite = await asset(user, line(report, 'PXL_20231006_063851485.jpg').assetId);
    expect(favourite.isFavorite).toBe(true);
    expect(favourite.description).toBe('Description from goggle photos');
    const archived = await asset(user, line(report, 'PXL_20231006_063536303.jpg').assetId);
    expect(archived.isArchived).toBe(true);
    const video = await asset(user, line(report, 'PXL_20231006_063909898.LS.mp4').assetId);
    expect(video.type).toBe('video');
    expect(video.originalFileName).toBe('TST_20231006_063909898.LS.mp4');
    expect(video.takenAt).toBe('2023-10-06T06:39:09.000Z');

    const titles = report.albums.map((a) => a.title).sort();
    expect(titles).toEqual(['Album test 6/10/23', 'Sans titre(9)']);
    const members = async (title: string) => {
      const album = report.albums.find((a) => a.title === title);
      const { body } = await api<{ assetIds: string[] }>(
        server,
        'GET',
        `/api/albums/${album?.albumId ?? ''}`,
        { token: user.token },
      );
      return body.assetIds;
    };
    expect(await members('Album test 6/10/23')).toHaveLength(8);
    const untitled = await members('Sans titre(9)');
    expect(untitled).toEqual([line(report, 'Sans titre(9)/PXL_20231006_063108407.jpg').assetId]);
    expect(untitled[0]).toBe(line(report, 'Album test 6-10-23/PXL_20231006_063108407.jpg').assetId);
    expect(report.notes.join(' ')).toMatch(/shared with you/);
  }

  it('imports the three parts as zips: dates, places, albums, states, the moved counter', async () => {
    const user = await createUser(server, { admin });
    const { progress, report } = await importParts(server, user, zips);
    expect(progress.status).toBe('done');
    expect(progress.parts.map((p) => p.status)).toEqual(['indexed', 'indexed', 'indexed']);
    // Every media file of the corpus trees has its JSON.
    expect(progress.counts.matched).toBe(14);
    await checkLibrary(user, report);
    const skipped = await api<ImportReport>(
      server,
      'GET',
      `/api/takeout/imports/${progress.id}/report?outcomes=skipped,failed`,
      { token: user.token },
    );
    expect(skipped.body.files.map((f) => f.outcome)).toEqual(['skipped', 'skipped', 'skipped']);
    await waitForJobs(server);
    const ready = await asset(user, line(report, 'PXL_20231006_063357420.jpg').assetId);
    expect(ready.hasThumbnail).toBe(true);
    // EXIF did not move the instant Google recorded.
    expect(ready.takenAt).toBe(new Date(1696574037 * 1000).toISOString());

    // The same export again: nothing new, not even an album.
    const again = await importParts(server, user, [...zips].reverse());
    expect(again.report.summary).toMatchObject({ imported: 0, duplicates: 11, skipped: 3 });
    const albums = await api<{ id: string }[]>(server, 'GET', '/api/albums', {
      token: user.token,
    });
    expect(albums.body).toHaveLength(2);
  });

  it('imports the same trees from one .tgz', async () => {
    const user = await createUser(server, { admin });
    const tgz = await tgzTrees(trees, path.join(dir, 'takeout.tgz'));
    const { progress, report } = await importParts(server, user, [tgz]);
    expect(progress.status).toBe('done');
    expect(progress.parts[0]?.format).toBe('tgz');
    await checkLibrary(user, report);
  });

  it('imports the good parts when one is damaged, and says what was wrong with it', async () => {
    const user = await createUser(server, { admin });
    const whole = await fsp.readFile(zips[0] ?? '');
    const damaged = path.join(dir, 'takeout-damaged.zip');
    await fsp.writeFile(damaged, whole.subarray(0, Math.floor(whole.length / 2)));
    const garbage = path.join(dir, 'takeout-garbage.tgz');
    await fsp.writeFile(garbage, Buffer.from('not an archive at all'));
    const { progress, report } = await importParts(server, user, [damaged, garbage, zips[1] ?? '']);
    expect(progress.status).toBe('done');
    const [first, second, third] = progress.parts;
    expect(first?.status).toBe('failed');
    expect(first?.error).toMatch(/zip|central directory|end of/i);
    expect(second?.status).toBe('failed');
    expect(second?.error).toMatch(/not a zip|format|unsupported|recogni/i);
    expect(third?.status).toBe('indexed');
    expect(report.summary).toMatchObject({ imported: 3, failed: 0, pending: 0 });
  });

  it('keeps imports private: another user sees neither the progress nor the report', async () => {
    const owner = await createUser(server, { admin });
    const other = await createUser(server, { admin });
    const { progress } = await importParts(server, owner, [zips[2] ?? '']);
    for (const url of [
      `/api/takeout/imports/${progress.id}`,
      `/api/takeout/imports/${progress.id}/report`,
    ]) {
      const { status } = await api(server, 'GET', url, { token: other.token });
      expect(status).toBe(404);
    }
    const list = await api<unknown[]>(server, 'GET', '/api/takeout/imports', {
      token: other.token,
    });
    expect(list.body).toEqual([]);
  });
});
