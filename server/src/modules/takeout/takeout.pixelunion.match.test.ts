import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../db/database.js';
import type { NewTakeoutEntry } from '../../db/db.types.js';
import { dialects, freshPostgresDatabase } from '../../test/test-server.js';
import { libraryFolder } from './takeout.indexer.js';
import { matchImport } from './takeout.matcher.js';
import { splitEntryPath } from './takeout.names.js';
import type { ExportAsset } from './takeout.pixelunion.js';
import { asAsset, assetJson, root } from './takeout.pixelunion.testing.js';
import { TakeoutRepo } from './takeout.repo.js';

describe.each(dialects)('matching a PixelUnion export by path (%s)', (dialect) => {
  let handle: DatabaseHandle;
  let repo: TakeoutRepo;
  let cleanup: () => Promise<void>;
  const importId = 'import-1';

  beforeEach(async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-pu-match-'));
    const pg = dialect === 'postgres' ? await freshPostgresDatabase() : null;
    handle = openDatabase({
      databaseUrl: pg?.url ?? null,
      sqlitePath: path.join(dir, 'db.sqlite'),
    });
    await migrateToLatest(handle.db);
    repo = new TakeoutRepo(handle.db, handle.dialect);
    await handle.db
      .insertInto('users')
      .values({
        id: 'u1',
        email: 'u1@example.org',
        name: 'U',
        password_hash: 'x',
        is_admin: 0,
        quota_bytes: null,
        created_at: 0,
        erasure_requested_at: null,
        erasure_due_at: null,
        erasure_receipt_hash: null,
      })
      .execute();
    await repo.createImport({
      id: importId,
      owner_id: 'u1',
      source: 'google-takeout',
      status: 'matching',
      error: null,
      created_at: 0,
      updated_at: 0,
      started_at: 0,
      finished_at: null,
    });
    cleanup = async () => {
      await handle.close();
      await pg?.drop();
      await fsp.rm(dir, { recursive: true, force: true });
    };
  });
  afterEach(() => cleanup());

  let index = 0;
  const entry = (full: string, role: NewTakeoutEntry['role'], sidecar: unknown = null) => {
    const { folder, name } = splitEntryPath(full);
    return {
      import_id: importId,
      part_id: 'p1',
      entry_index: index++,
      path: full,
      folder: libraryFolder(folder),
      name,
      size: 1,
      role,
      sidecar: sidecar === null ? null : JSON.stringify(sidecar),
      sidecar_entry_id: null,
      match_how: null,
      motion_of_entry_id: null,
      outcome: null,
      detail: null,
      asset_id: null,
    };
  };
  const document = (file: string, motion: string | null, albums: ExportAsset['albums'] = []) =>
    asAsset(
      assetJson({
        file: { path: file },
        motion: motion === null ? null : { path: motion },
        albums: albums.map((a) => ({ ...a, ownedByYou: true })),
      }),
      `${root}/${file}.json`,
    );

  it('gives each file its document and its live video, whatever Google’s name rules say', async () => {
    await repo.insertEntries([
      // A still and a video that Google's rules would pair, but that are two assets here.
      entry(`${root}/2023/10/IMG_1.HEIC`, 'media'),
      entry(`${root}/2023/10/IMG_1.HEIC.json`, 'sidecar', document('2023/10/IMG_1.HEIC', null)),
      entry(`${root}/2023/10/IMG_1.mov`, 'media'),
      entry(`${root}/2023/10/IMG_1.mov.json`, 'sidecar', document('2023/10/IMG_1.mov', null)),
      // A live photo whose video has another name, and an album named only by the photo.
      entry(`${root}/2023/10/PXL.jpg`, 'media'),
      entry(
        `${root}/2023/10/PXL.jpg.json`,
        'sidecar',
        document('2023/10/PXL.jpg', '2023/10/PXL (1).mp4', [{ id: 'al-1', title: 'Paris' }]),
      ),
      entry(`${root}/2023/10/PXL (1).mp4`, 'media'),
      // No document for it.
      entry(`${root}/2023/11/lonely.jpg`, 'media'),
      entry(`${root}/albums.json`, 'album-meta', {
        kind: 'pixelunion-albums',
        albums: [
          {
            id: 'al-2',
            title: 'Empty',
            description: 'Nothing yet',
            coverAssetId: null,
            sortOrder: 'desc',
            members: 0,
            assets: [],
          },
        ],
        sharedWithYou: [],
      }),
    ]);
    await matchImport(repo, importId);
    const rows = await handle.db
      .selectFrom('takeout_entries')
      .select(['id', 'name', 'sidecar_entry_id', 'motion_of_entry_id', 'match_how'])
      .where('role', '=', 'media')
      .orderBy('id')
      .execute();
    const idOf = async (name: string) =>
      (
        await handle.db
          .selectFrom('takeout_entries')
          .select('id')
          .where('name', '=', name)
          .executeTakeFirstOrThrow()
      ).id;
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(byName.get('IMG_1.HEIC')).toMatchObject({
      sidecar_entry_id: await idOf('IMG_1.HEIC.json'),
      motion_of_entry_id: null,
    });
    expect(byName.get('IMG_1.mov')).toMatchObject({
      sidecar_entry_id: await idOf('IMG_1.mov.json'),
      motion_of_entry_id: null,
    });
    expect(byName.get('PXL.jpg')).toMatchObject({ sidecar_entry_id: await idOf('PXL.jpg.json') });
    expect(byName.get('PXL (1).mp4')).toMatchObject({
      sidecar_entry_id: null,
      motion_of_entry_id: await idOf('PXL.jpg'),
    });
    expect(byName.get('lonely.jpg')).toMatchObject({
      sidecar_entry_id: null,
      motion_of_entry_id: null,
    });
    const albums = await repo.albumsOf(importId);
    expect(albums.map((a) => [a.folder, a.title, a.description])).toEqual([
      ['pixelunion:al-1', 'Paris', null],
      ['pixelunion:al-2', 'Empty', 'Nothing yet'],
    ]);
    expect(await repo.exports.hasExportDocuments(importId)).toBe(true);
  });
});
