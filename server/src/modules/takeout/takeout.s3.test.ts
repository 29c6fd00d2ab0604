import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from '../../storage/s3rver.testing.js';
import { api, createUser, type TestUser } from '../../test/factories.js';
import {
  dialects,
  freshPostgresDatabase,
  startTestServer,
  type TestServer,
} from '../../test/test-server.js';
import type { TakeoutProgress } from './takeout.view.js';
import { checkCorpusLibrary, corpusTrees } from './takeout.corpus.testing.js';
import {
  createImport,
  reportOf,
  tgzTrees,
  uploadPart,
  waitForImport,
  zipTree,
} from './takeout.testing.js';

/** Every key of the bucket below `prefix`. */
async function keysUnder(server: TestServer, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of server.ctx.blobs.list(prefix)) keys.push(key);
  return keys.sort();
}

/** Files of a data folder on a Takeout path (parts, or their copies), relative to it. */
async function takeoutFiles(dataDir: string): Promise<string[]> {
  const entries = await fsp.readdir(dataDir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dataDir, path.join(entry.parentPath, entry.name)))
    .filter((file) => file.split(path.sep).includes('takeout'));
}

async function start(server: TestServer, user: TestUser, importId: string) {
  const started = await api(server, 'POST', `/api/takeout/imports/${importId}/start`, {
    token: user.token,
  });
  expect(started.status).toBe(200);
}

let dir: string;
let zips: string[];
let tgz: string;
beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'takeout-s3-'));
  zips = await Promise.all(
    corpusTrees.map((tree, i) => zipTree(tree, path.join(dir, `takeout-00${i + 1}.zip`))),
  );
  tgz = await tgzTrees(corpusTrees, path.join(dir, 'takeout.tgz'));
});
afterAll(() => fsp.rm(dir, { recursive: true, force: true }));

describe.each(dialects)('Takeout parts in object storage (%s)', (dialect) => {
  let s3: LocalS3;
  let server: TestServer;
  let admin: TestUser;
  beforeAll(async () => {
    s3 = await startLocalS3();
    server = await startTestServer(dialect, { ...s3.env(), PIXELUNION_DATA_RESIDENCY: 'off' });
    admin = await createUser(server);
  });
  afterAll(async () => {
    await server.close();
    await s3.stop();
  });

  it('keeps the zips in the bucket, imports them as from the local folder, then deletes them', async () => {
    const user = await createUser(server, { admin });
    const id = await createImport(server, user);
    for (const zip of zips) await uploadPart(server, user, id, zip);

    // In the bucket, byte for byte; nothing on this process's disk.
    const keys = await keysUnder(server, `takeout/${user.id}/${id}`);
    expect(keys).toHaveLength(3);
    const stored = await Promise.all(keys.map((key) => server.ctx.blobs.size(key)));
    const sizes = await Promise.all(zips.map(async (zip) => (await fsp.stat(zip)).size));
    expect(stored.sort()).toEqual(sizes.sort());
    expect(await takeoutFiles(server.dataDir)).toEqual([]);

    await start(server, user, id);
    const progress = await waitForImport(server, user, id);
    expect(progress.status).toBe('done');
    expect(progress.parts.map((p) => [p.status, p.format])).toEqual([
      ['indexed', 'zip'],
      ['indexed', 'zip'],
      ['indexed', 'zip'],
    ]);
    await checkCorpusLibrary(server, user, await reportOf(server, user, id));
    expect(await keysUnder(server, `takeout/${user.id}`)).toEqual([]);
    expect(await takeoutFiles(server.dataDir)).toEqual([]);
  });

  it('imports a tgz read from the bucket as one stream', async () => {
    const user = await createUser(server, { admin });
    const id = await createImport(server, user);
    await uploadPart(server, user, id, tgz);
    await start(server, user, id);
    const progress = await waitForImport(server, user, id);
    expect(progress.parts.map((p) => [p.status, p.format])).toEqual([['indexed', 'tgz']]);
    await checkCorpusLibrary(server, user, await reportOf(server, user, id));
    expect(await keysUnder(server, `takeout/${user.id}`)).toEqual([]);
  });

  it('deletes the parts of a cancelled import, and of one that failed', async () => {
    const user = await createUser(server, { admin });
    const cancelled = await createImport(server, user);
    await uploadPart(server, user, cancelled, zips[0] ?? '');
    const failed = await createImport(server, user);
    await uploadPart(server, user, failed, zips[1] ?? '');
    expect(await keysUnder(server, `takeout/${user.id}`)).toHaveLength(2);

    const answer = await api<TakeoutProgress>(
      server,
      'POST',
      `/api/takeout/imports/${cancelled}/cancel`,
      { token: user.token },
    );
    expect(answer.body.status).toBe('cancelled');
    expect(await keysUnder(server, `takeout/${user.id}`)).toEqual([
      expect.stringMatching(new RegExp(`^takeout/${user.id}/${failed}/`)),
    ]);

    // The queue gives up on an import's job once its attempts are spent.
    await server.ctx.takeout.gaveUp('takeout-import', { importId: failed }, 'storage is down');
    const progress = await waitForImport(server, user, failed);
    expect(progress).toMatchObject({ status: 'failed', error: 'storage is down' });
    expect(await keysUnder(server, `takeout/${user.id}`)).toEqual([]);
  });
});

// Processes of a scale-out installation share the database and the bucket, not their disks.
const postgres = process.env.DATABASE_URL ? describe : describe.skip;
postgres('Takeout parts between processes', () => {
  it('an api process receives the parts; a worker with a data folder of its own imports them', async () => {
    const s3 = await startLocalS3();
    const database = await freshPostgresDatabase();
    const shared = {
      ...s3.env(),
      PIXELUNION_DATA_RESIDENCY: 'off',
      DATABASE_URL: database.url,
      // The queue in the shared database, so that the worker takes the api's jobs.
      REDIS_URL: '',
    };
    const servers: TestServer[] = [];
    try {
      const apiServer = await startTestServer('postgres', { ...shared, PIXELUNION_ROLE: 'api' });
      servers.push(apiServer);
      const user = await createUser(apiServer);
      const id = await createImport(apiServer, user);
      for (const zip of zips) await uploadPart(apiServer, user, id, zip);
      await start(apiServer, user, id);

      const worker = await startTestServer('postgres', { ...shared, PIXELUNION_ROLE: 'worker' });
      servers.push(worker);
      expect(worker.dataDir).not.toBe(apiServer.dataDir);
      const progress = await waitForImport(apiServer, user, id);
      expect(progress.status).toBe('done');
      await checkCorpusLibrary(apiServer, user, await reportOf(apiServer, user, id));
      expect(await keysUnder(apiServer, `takeout/${user.id}`)).toEqual([]);
      expect(await takeoutFiles(apiServer.dataDir)).toEqual([]);
      expect(await takeoutFiles(worker.dataDir)).toEqual([]);
    } finally {
      for (const server of servers.reverse()) await server.close();
      await database.drop();
      await s3.stop();
    }
  });
});
