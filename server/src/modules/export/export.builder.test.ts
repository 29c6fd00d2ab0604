import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobStore } from '../../storage/blob-store.js';
import {
  createUser,
  photo,
  uploadFixture,
  waitForJobs,
  type TestUser,
} from '../../test/factories.js';
import { dialects, startTestServer, type TestServer } from '../../test/test-server.js';
import { ExportBuilder } from './export.builder.js';
import { ExportIndexRepo } from './export.index.repo.js';
import { ExportLibraryRepo } from './export.library.repo.js';
import { exportRoot } from './export.names.js';
import { ExportRepo } from './export.repo.js';

describe.each(dialects)('export builder on %s', (dialect) => {
  let server: TestServer;
  let user: TestUser;
  let dir: string;
  const ids: string[] = [];

  beforeAll(async () => {
    server = await startTestServer(dialect);
    user = await createUser(server);
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-export-builder-'));
    // Three photos of the same month under the same name (the last one in other letter case).
    const sources = ['gps/DSCN0010.jpg', 'gps/DSCN0012.jpg', 'gps/DSCN0021.jpg'];
    for (const [i, source] of sources.entries()) {
      const file = path.join(dir, String(i), i === 2 ? 'img.JPG' : 'IMG.jpg');
      await fsp.mkdir(path.dirname(file));
      await fsp.copyFile(photo(`exif-samples/jpg/${source}`), file);
      const uploaded = await uploadFixture(server, user, file);
      expect(uploaded.status).toBe(201);
      ids.push(uploaded.body.id);
    }
    await waitForJobs(server);
  }, 120_000);
  afterAll(async () => {
    await server.close();
    await fsp.rm(dir, { recursive: true, force: true });
  });

  const builderWith = (blobs: BlobStore) => {
    const { db } = server.ctx.database;
    return new ExportBuilder(
      new ExportRepo(db),
      new ExportLibraryRepo(db),
      new ExportIndexRepo(db),
      blobs,
      { tmpDir: path.join(dir, 'tmp'), keepDays: 7 },
    );
  };

  const newExport = async () => {
    const id = randomUUID();
    const now = Date.now();
    await new ExportRepo(server.ctx.database.db).insert(
      {
        id,
        owner_id: user.id,
        status: 'queued',
        error: null,
        root: exportRoot(now),
        part_size: 1024 * 1024,
        asset_count: 0,
        assets_done: 0,
        created_at: now,
        updated_at: now,
        finished_at: null,
        expires_at: now + 86_400_000,
      },
      () => Promise.resolve(),
    );
    return id;
  };

  const entriesOf = (id: string) =>
    server.ctx.database.db
      .selectFrom('export_entries')
      .select(['asset_id', 'kind', 'path', 'size', 'crc32'])
      .where('export_id', '=', id)
      .orderBy('seq')
      .execute();

  it('continues after a crash where it stopped, with the same names as a run in one go', async () => {
    const whole = await newExport();
    await builderWith(server.ctx.blobs).run(whole);

    // The second photo's original cannot be read the first time: the job fails there.
    const broken = await newExport();
    const failing: BlobStore = Object.create(server.ctx.blobs) as BlobStore;
    failing.read = (key, range) => {
      if (key.endsWith(ids[1] ?? '-')) throw new Error('disk gone');
      return server.ctx.blobs.read(key, range);
    };
    await expect(builderWith(failing).run(broken)).rejects.toThrow('disk gone');
    const row = await new ExportRepo(server.ctx.database.db).find(broken);
    expect(row).toMatchObject({ status: 'building', asset_count: 3 });
    const partial = await entriesOf(broken);
    expect(new Set(partial.map((e) => e.asset_id))).toEqual(new Set([ids[0]]));

    await builderWith(server.ctx.blobs).run(broken);
    const resumed = await entriesOf(broken);
    const reference = await entriesOf(whole);
    const names = (entries: typeof reference) =>
      entries.map((e) => `${e.asset_id ?? ''} ${e.kind} ${e.path.split('/').slice(1).join('/')}`);
    expect(names(resumed).sort()).toEqual(names(reference).sort());
    const originals = resumed
      .filter((e) => e.kind === 'original')
      .map((e) => e.path.split('/').pop());
    expect(originals.sort()).toEqual(['IMG (1).jpg', 'IMG.jpg', 'img (2).JPG'].sort());
    expect(await new ExportRepo(server.ctx.database.db).find(broken)).toMatchObject({
      status: 'ready',
      assets_done: 3,
    });
  });

  it('stops and removes what it wrote when the export is deleted meanwhile', async () => {
    const id = await newExport();
    const repo = new ExportRepo(server.ctx.database.db);
    const deleting: BlobStore = Object.create(server.ctx.blobs) as BlobStore;
    deleting.putFile = async (key, file) => {
      await server.ctx.blobs.putFile(key, file);
      await repo.delete(id, () => Promise.resolve());
    };
    await builderWith(deleting).run(id);
    const left: string[] = [];
    for await (const key of server.ctx.blobs.list(`exports/${user.id}/${id}/`)) left.push(key);
    expect(left).toEqual([]);
    expect(await repo.find(id)).toBeUndefined();
  });
});
