import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createUser, waitForJobs, type TestUser } from '../../test/factories.js';
import { dialects, startTestServer, type TestServer } from '../../test/test-server.js';
import {
  assetView,
  checkCorpusLibrary,
  corpusTrees as trees,
  reportLine as line,
} from './takeout.corpus.testing.js';
import { importParts, tgzTrees, zipTree, type ImportReport } from './takeout.testing.js';

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

  it('imports the three parts as zips: dates, places, albums, states, the moved counter', async () => {
    const user = await createUser(server, { admin });
    const { progress, report } = await importParts(server, user, zips);
    expect(progress.status).toBe('done');
    expect(progress.parts.map((p) => p.status)).toEqual(['indexed', 'indexed', 'indexed']);
    // Every media file of the corpus trees has its JSON.
    expect(progress.counts.matched).toBe(14);
    await checkCorpusLibrary(server, user, report);
    const skipped = await api<ImportReport>(
      server,
      'GET',
      `/api/takeout/imports/${progress.id}/report?outcomes=skipped,failed`,
      { token: user.token },
    );
    expect(skipped.body.files.map((f) => f.outcome)).toEqual(['skipped', 'skipped', 'skipped']);
    await waitForJobs(server);
    const ready = await assetView(server, user, line(report, 'PXL_20231006_063357420.jpg').assetId);
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
    await checkCorpusLibrary(server, user, report);
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
