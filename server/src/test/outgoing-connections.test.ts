import { openAsBlob } from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssetView } from '../modules/assets/assets.view.js';
import { fetchBytes, passCookieOf } from '../modules/shares/shares.testing.js';
import { importParts, takeoutTree, tgzTrees, zipTree } from '../modules/takeout/takeout.testing.js';
import { tusCreate } from '../modules/uploads/uploads.testing.js';
import { api, createUser, photo, uploadFixture, type TestUser } from './factories.js';
import { attemptsIn, guardArgs } from './network-guard.testing.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { scaleOut, scaleOutEnvironment } from './test-config.js';
import { dialects, freshPostgresDatabase, type TestServer } from './test-server.js';

// Promise 2, "nothing leaves the server": a real server process runs with network-guard.ts
// preloaded, which refuses and records every attempt to reach anything but loopback, and the
// test walks through every feature over HTTP. The recorded list must stay empty.

let scratch = '';
beforeAll(async () => {
  scratch = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-offline-'));
});
afterAll(() => fsp.rm(scratch, { recursive: true, force: true }));

/** The helpers of factories.ts and the modules' testing files use only a server's URL. */
const remote = (server: ServerProcess): TestServer => ({ url: server.url }) as TestServer;

interface OpenApi {
  paths: Record<string, Record<string, unknown>>;
}

describe.each(dialects)('a server exercised end to end on %s', (dialect) => {
  const cleanup: (() => Promise<void>)[] = [];
  let child: ServerProcess;
  let server: TestServer;
  let log: string;
  let admin: TestUser;
  let friend: TestUser;
  let paths: OpenApi['paths'];
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const dataDir = path.join(scratch, `data-${dialect}`);
    log = path.join(scratch, `server-${dialect}.jsonl`);
    const env: Record<string, string> = {
      PIXELUNION_DATA_DIR: dataDir,
      PIXELUNION_NETWORK_LOG: log,
      PIXELUNION_ERASURE_GRACE_DAYS: '0',
      DATABASE_URL: '',
    };
    if (dialect === 'postgres') {
      const database = await freshPostgresDatabase();
      cleanup.push(() => database.drop());
      env.DATABASE_URL = database.url;
      // A scale-out run checks the whole scale-out configuration: Redis and object storage are
      // on loopback here, where the guard lets them through, as it does PostgreSQL.
      if (scaleOut) {
        const outside = await scaleOutEnvironment(scaleOut, `pixelunion-offline-${process.pid}`);
        cleanup.push(() => outside.release());
        Object.assign(env, outside.env);
      }
    }
    child = await startServerProcess(env, { nodeArgs: guardArgs });
    cleanup.push(() => child.stop());
    server = remote(child);
    paths = (await api<OpenApi>(server, 'GET', '/api/openapi.json')).body.paths;
  });
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  const get = async (user: TestUser | null, url: string, expected = 200) => {
    const response = await fetchBytes(server, 'GET', url, user ? { token: user.token } : {});
    expect(response.status, `GET ${url}`).toBe(expected);
    return response;
  };
  const call = async <T>(
    user: TestUser,
    method: string,
    url: string,
    body?: unknown,
    expected: number[] = [200, 201, 204],
  ) => {
    const response = await api<T>(server, method, url, { token: user.token, body });
    expect(
      expected,
      `${method} ${url}: ${response.status} ${JSON.stringify(response.body)}`,
    ).toContain(response.status);
    return response.body;
  };
  /** Until every job is done and every listed asset is processed. */
  const settle = async (user: TestUser, assetIds: readonly string[]) => {
    for (let i = 0; i < 1200; i++) {
      const queues = await call<{ waiting: number; active: number }[]>(user, 'GET', '/api/jobs');
      const idle = queues.every((q) => q.waiting === 0 && q.active === 0);
      let processing = false;
      for (const id of assetIds) {
        const asset = await api<AssetView>(server, 'GET', `/api/assets/${id}`, {
          token: user.token,
        });
        if (asset.status === 200 && asset.body.status === 'processing') processing = true;
      }
      if (idle && !processing) return;
      await sleep(100);
    }
    throw new Error('the server did not finish processing in time');
  };
  const listed = (route: string, method: string) => paths[route]?.[method] !== undefined;

  it('first run, sign-in, users and settings', async () => {
    const status = await api<{ setupRequired?: boolean }>(server, 'GET', '/api/auth/status');
    expect(status.status).toBe(200);
    // The web app (or, without a build, the page that says to build it).
    await get(null, '/');
    await get(null, '/albums');
    admin = await createUser(server);
    friend = await createUser(server, { admin });
    await call(admin, 'GET', '/api/users/me');
    await call(admin, 'GET', '/api/users/me/usage');
    await call(admin, 'GET', '/api/users');
    await call(admin, 'GET', '/api/users/directory');
    await call(admin, 'PATCH', `/api/users/${friend.id}`, { quotaBytes: 10 * 1024 ** 3 });
    await call(admin, 'POST', '/api/api-keys', { name: 'cli' });
    await call(admin, 'GET', '/api/api-keys');
    await call(admin, 'GET', '/api/health');
  });

  it('uploads the corpus by multipart and by tus, and processes it', async () => {
    const multipart = {
      jpeg: photo('exif-samples/jpg/gps/DSCN0010.jpg'),
      heic: photo('exif-samples/heic/IMG_5195.HEIC'),
      raw: photo('metadata-extractor/nef/Issue 247-1.nef'),
      tiff: photo('exif-samples/tiff/Arbitro.tiff'),
      mov: photo('metadata-extractor/mov/with-gps.mov'),
      motion: photo('immich-test-assets/formats/motionphoto/samsung-one-ui-6.heic'),
    };
    for (const [name, file] of Object.entries(multipart)) {
      const response = await uploadFixture(server, admin, file);
      expect(response.status, `${name}: ${JSON.stringify(response.body)}`).toBe(201);
      ids[name] = response.body.id;
    }
    const tus = {
      mp4: photo('metadata-extractor/mp4/with-gps.mp4'),
      jpeg2: photo('exif-samples/jpg/gps/DSCN0012.jpg'),
    };
    for (const [name, file] of Object.entries(tus)) {
      const body = await fsp.readFile(file);
      const response = await tusCreate(server, admin, body.length, {
        body,
        meta: { filename: path.basename(file) },
      });
      expect(response.status).toBe(201);
      ids[name] = response.headers.get('pixelunion-asset-id') ?? '';
    }
    // "Don't keep where my photos were taken": exiftool rewrites the upload at ingest.
    await call(friend, 'PATCH', '/api/users/me', { stripLocation: true });
    const stripped = await uploadFixture(
      server,
      friend,
      photo('exif-samples/jpg/gps/DSCN0021.jpg'),
    );
    expect(stripped.status).toBe(201);
    await call(admin, 'POST', '/api/assets/check', { checksums: ['0'.repeat(40)] });
    await settle(admin, Object.values(ids));
    await settle(friend, [stripped.body.id]);
  });

  it('timeline, viewer files, favourites, archive, trash and restore', async () => {
    const buckets = await call<{ bucket: string; count: number }[]>(
      admin,
      'GET',
      '/api/timeline/buckets',
    );
    expect(buckets.length).toBeGreaterThan(0);
    for (const { bucket } of buckets) await call(admin, 'GET', `/api/timeline/buckets/${bucket}`);
    for (const [name, id] of Object.entries(ids)) {
      const asset = await call<AssetView>(admin, 'GET', `/api/assets/${id}`);
      expect(asset.status, name).toBe('ready');
      // A video's full size is the video itself, played from its original.
      const kinds = ['original', 'thumbnail', 'preview'];
      if (asset.type === 'image') kinds.push('fullsize');
      for (const kind of kinds) await get(admin, `/api/assets/${id}/${kind}`);
      if (asset.hasMotion) await get(admin, `/api/assets/${id}/motion`);
    }
    const jpeg = ids.jpeg ?? '';
    await call(admin, 'PATCH', `/api/assets/${jpeg}`, { isFavorite: true, description: 'Siena' });
    await call(admin, 'POST', '/api/assets/update', { ids: [ids.heic], isArchived: true });
    for (const view of ['favorites', 'archive', 'all']) {
      await call(admin, 'GET', `/api/timeline/buckets?view=${view}`);
    }
    await call(admin, 'POST', '/api/assets/update', { ids: [ids.heic], isArchived: false });
    await call(admin, 'POST', '/api/assets/trash', { ids: [ids.tiff, ids.raw] });
    await call(admin, 'GET', '/api/timeline/buckets?view=trash');
    await call(admin, 'POST', '/api/assets/restore', { ids: [ids.raw] });
    await call(admin, 'POST', '/api/trash/empty');
    await call(admin, 'POST', '/api/assets/delete', { ids: [ids.jpeg2] });
    await call(admin, 'DELETE', `/api/assets/${ids.motion ?? ''}`, undefined, [200, 204]);
    const zip = await fetchBytes(server, 'POST', '/api/assets/download', {
      token: admin.token,
      body: { ids: [ids.jpeg, ids.mov] },
    });
    expect(zip.status).toBe(200);
    delete ids.tiff;
    delete ids.jpeg2;
    delete ids.motion;
    await settle(admin, []);
  });

  it('albums shared with another user, and a share link with a password', async () => {
    const album = await call<{ id: string }>(admin, 'POST', '/api/albums', {
      title: 'Trip',
      assetIds: [ids.jpeg, ids.heic, ids.mov],
    });
    await call(admin, 'POST', `/api/albums/${album.id}/assets`, { ids: [ids.mp4] });
    await call(admin, 'PATCH', `/api/albums/${album.id}`, { title: 'Trip to Siena' });
    await call(admin, 'PUT', `/api/albums/${album.id}/members/${friend.id}`, { role: 'viewer' });
    await call(friend, 'GET', '/api/albums');
    await call(friend, 'GET', `/api/albums/${album.id}`);
    await get(friend, `/api/assets/${ids.jpeg ?? ''}/thumbnail`);
    await get(friend, `/api/assets/${ids.heic ?? ''}/original`);

    const link = await call<{ id: string; key: string }>(admin, 'POST', '/api/shares', {
      albumId: album.id,
      password: 'open sesame',
      allowDownload: true,
      allowUpload: true,
    });
    const locked = await api(server, 'GET', `/api/s/${link.key}`);
    expect(locked.status).toBe(401);
    const wrong = await api(server, 'POST', `/api/s/${link.key}/password`, {
      body: { password: 'nope' },
    });
    expect(wrong.status).toBe(401);
    const right = await api(server, 'POST', `/api/s/${link.key}/password`, {
      body: { password: 'open sesame' },
    });
    expect(right.status).toBe(204);
    const cookie = passCookieOf(right.headers) ?? '';
    const content = await api<{ assets: { id: string }[] }>(server, 'GET', `/api/s/${link.key}`, {
      headers: { cookie },
    });
    expect(content.status).toBe(200);
    expect(content.body.assets.length).toBe(4);
    for (const { id } of content.body.assets) {
      for (const kind of ['thumbnail', 'preview', 'fullsize', 'original']) {
        const file = await fetchBytes(server, 'GET', `/api/s/${link.key}/assets/${id}/${kind}`, {
          cookie,
        });
        expect(file.status, `${kind} of ${id} through the link`).toBe(200);
      }
    }
    const zip = await fetchBytes(server, 'POST', `/api/s/${link.key}/download`, {
      cookie,
      body: {},
    });
    expect(zip.status).toBe(200);
    const form = new FormData();
    form.append('file', await openAsBlob(photo('exif-samples/jpg/gps/DSCN0025.jpg')), 'v.jpg');
    const uploaded = await api(server, 'POST', `/api/s/${link.key}/upload`, {
      body: form,
      headers: { cookie },
    });
    expect(uploaded.status).toBe(201);
    await get(null, `/s/${link.key}`);
    await call(admin, 'GET', '/api/shares');
    await call(admin, 'GET', `/api/shares/${link.id}`);
    await call(admin, 'GET', `/api/shares/${link.id}/events`);
    await call(admin, 'PATCH', `/api/shares/${link.id}`, { showMetadata: true });
    await call(admin, 'DELETE', `/api/shares/${link.id}`);
    const revoked = await api(server, 'GET', `/api/s/${link.key}`, { headers: { cookie } });
    expect(revoked.status).toBe(410);
    await call(admin, 'DELETE', `/api/albums/${album.id}/members/${friend.id}`);
    await settle(admin, []);
  });

  it('imports a Google Takeout', async () => {
    const zip = await zipTree(takeoutTree('Takeout1'), path.join(scratch, `t1-${dialect}.zip`));
    const tgz = await tgzTrees(
      [takeoutTree('Takeout2'), takeoutTree('Takeout3')],
      path.join(scratch, `t23-${dialect}.tgz`),
    );
    const { progress, report } = await importParts(server, admin, [zip, tgz]);
    expect(progress.status).toBe('done');
    expect(report.files.some((f) => f.outcome === 'imported')).toBe(true);
    await call(admin, 'GET', '/api/takeout/imports');
    await settle(admin, []);
  });

  it('privacy page, export and erasure, where this server has them', async () => {
    if (listed('/api/privacy', 'get')) await call(admin, 'GET', '/api/privacy');
    if (listed('/api/exports', 'post')) {
      const created = await call<{ id: string }>(admin, 'POST', '/api/exports', {});
      let current = created as { id: string; status?: string; parts?: { url: string }[] };
      for (let i = 0; i < 1200 && !['ready', 'failed'].includes(current.status ?? ''); i++) {
        await sleep(100);
        current = await call(admin, 'GET', `/api/exports/${created.id}`);
      }
      expect(current.status).toBe('ready');
      for (const part of current.parts ?? []) await get(admin, part.url);
      await call(admin, 'GET', '/api/exports');
    }
    if (listed('/api/account/erasure', 'post')) {
      const leaving = await createUser(server, { admin });
      await uploadFixture(server, leaving, photo('exif-samples/jpg/gps/DSCN0027.jpg'));
      await call(leaving, 'GET', '/api/account/erasure');
      const erased = await call<{ receiptToken?: string }>(
        leaving,
        'POST',
        '/api/account/erasure',
        {
          password: 'correct horse battery',
        },
      );
      if (erased.receiptToken && listed('/api/erasure-receipts/{token}', 'get')) {
        await get(null, `/api/erasure-receipts/${encodeURIComponent(erased.receiptToken)}`);
      }
    }
    if (listed('/api/users/{id}/erase', 'post')) {
      const removed = await createUser(server, { admin });
      await call(admin, 'POST', `/api/users/${removed.id}/erase`, { confirmEmail: removed.email });
    }
    await settle(admin, []);
  });

  it('never tried to reach the network, and started only local tools', async () => {
    const attempts = await attemptsIn(log);
    const connections = attempts.filter((a) => a.kind !== 'spawn');
    expect(connections, JSON.stringify(connections, null, 2)).toEqual([]);
    const spawned = attempts.filter((a) => a.kind === 'spawn');
    // exiftool (a Perl script, or perl running it) and ffmpeg, never with a URL.
    expect(spawned.length).toBeGreaterThan(0);
    for (const { target, args } of spawned) {
      expect(path.basename(target), target).toMatch(/^(exiftool|perl|ffmpeg)(\.exe|\.pl)?$/);
      for (const arg of args ?? []) expect(arg).not.toMatch(/^[a-z][a-z0-9+.-]*:\/\//i);
    }
  });
});
