import { createHash } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ExifTool } from 'exiftool-vendored';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createUser,
  photo,
  uploadFixture,
  waitForJobs,
  type TestUser,
} from '../../test/factories.js';
import { dialects, startTestServer, type TestServer } from '../../test/test-server.js';
import { createLink, fetchBytes, visit } from '../shares/shares.testing.js';
import { importParts, takeoutTree, zipTree } from '../takeout/takeout.testing.js';
import { tusCreate } from '../uploads/uploads.testing.js';
import type { UserView } from '../users/users.service.js';
import type { AssetView } from './assets.view.js';

// The oracle: a separate exiftool reading every group, embedded tracks included.
const oracle = new ExifTool({ maxProcs: 1, taskTimeoutMillis: 20_000 });
afterAll(() => oracle.end());

const jpeg = photo('exif-samples/jpg/gps/DSCN0010.jpg');
const places = photo('immich-test-assets/metadata/gps-position/thompson-springs.jpg');
const heic = photo('exif-samples/heic/IMG_5195.HEIC');
const mov = photo('metadata-extractor/mov/with-gps.mov');
const tusJpeg = photo('exif-samples/jpg/gps/DSCN0012.jpg');
const tusMp4 = photo('metadata-extractor/mp4/with-gps.mp4');

let scratch = '';

/** Tag names (group-qualified) that say where the bytes were made: GPS or a place name. */
async function locationOf(bytes: Buffer): Promise<string[]> {
  const file = path.join(scratch, Math.random().toString(36).slice(2));
  await fsp.writeFile(file, bytes);
  const tags = await oracle.readRaw(file, { readArgs: ['-G1', '-a', '-ee'] });
  return Object.entries(tags)
    .filter(([key, value]) => {
      const name = key.slice(key.indexOf(':') + 1);
      const place =
        /GPS/i.test(name) || /^(City|State|Province-State|Country|Sub-?location)/i.test(name);
      return place && key !== 'Samsung:MCCData' && value !== '';
    })
    .map(([key]) => key);
}

async function cameraOf(bytes: Buffer): Promise<unknown> {
  const file = path.join(scratch, Math.random().toString(36).slice(2));
  await fsp.writeFile(file, bytes);
  const tags = await oracle.readRaw(file, { readArgs: ['-Make', '-CreateDate'] });
  return { make: tags.Make, createDate: tags.CreateDate };
}

const sha1 = (bytes: Buffer) => createHash('sha1').update(bytes).digest('hex');

describe.each(dialects)('"don\'t keep where my photos were taken" on %s', (dialect) => {
  let server: TestServer;
  let stripper: TestUser;
  let keeper: TestUser;

  beforeAll(async () => {
    scratch = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-location-'));
    server = await startTestServer(dialect);
    keeper = await createUser(server);
    stripper = await createUser(server, { admin: keeper });
  });
  afterAll(async () => {
    await server.close();
    await fsp.rm(scratch, { recursive: true, force: true });
  });

  const asset = async (user: TestUser, id: string) => {
    const { status, body } = await api<AssetView>(server, 'GET', `/api/assets/${id}`, {
      token: user.token,
    });
    expect(status).toBe(200);
    return body;
  };
  const original = async (user: TestUser, id: string) => {
    const { status, bytes } = await fetchBytes(server, 'GET', `/api/assets/${id}/original`, {
      token: user.token,
    });
    expect(status).toBe(200);
    return bytes;
  };
  const tusUpload = async (user: TestUser, file: string) => {
    const body = await fsp.readFile(file);
    const response = await tusCreate(server, user, body.length, {
      body,
      meta: { filename: path.basename(file) },
    });
    expect(response.status).toBe(201);
    return {
      id: response.headers.get('pixelunion-asset-id') ?? '',
      status: response.headers.get('pixelunion-asset-status'),
    };
  };

  it('is off by default and is switched with PATCH /api/users/me', async () => {
    const me = await api<UserView>(server, 'GET', '/api/users/me', { token: stripper.token });
    expect(me.body.stripLocation).toBe(false);
    const patched = await api<UserView>(server, 'PATCH', '/api/users/me', {
      token: stripper.token,
      body: { stripLocation: true },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.stripLocation).toBe(true);
    const again = await api<UserView>(server, 'GET', '/api/users/me', { token: stripper.token });
    expect(again.body.stripLocation).toBe(true);
    const other = await api<UserView>(server, 'GET', '/api/users/me', { token: keeper.token });
    expect(other.body.stripLocation).toBe(false);
    const invalid = await api(server, 'PATCH', '/api/users/me', {
      token: stripper.token,
      body: { stripLocation: 'yes' },
    });
    expect(invalid.status).toBe(400);
  });

  it('stores multipart and tus uploads without their location, keeping dates and camera', async () => {
    const uploads: { file: string; id: string }[] = [];
    for (const file of [jpeg, places, heic, mov]) {
      const response = await uploadFixture(server, stripper, file);
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      uploads.push({ file, id: response.body.id });
    }
    for (const file of [tusJpeg, tusMp4]) {
      const response = await tusUpload(stripper, file);
      expect(response.status).toBe('created');
      uploads.push({ file, id: response.id });
    }
    await waitForJobs(server);

    for (const { file, id } of uploads) {
      const uploaded = await fsp.readFile(file);
      expect((await locationOf(uploaded)).length, file).toBeGreaterThan(0);
      const view = await asset(stripper, id);
      expect(view, file).toMatchObject({
        status: 'ready',
        latitude: null,
        longitude: null,
        altitude: null,
        locationSource: null,
      });
      const stored = await original(stripper, id);
      expect(await locationOf(stored), file).toEqual([]);
      expect(await cameraOf(stored), file).toEqual(await cameraOf(uploaded));
      // The checksum is the uploaded bytes' (duplicates stay duplicates); the size is the stored one.
      expect(view.checksum).toBe(sha1(uploaded));
      expect(view.fileSize).toBe(stored.length);
      expect(stored.length).toBeLessThan(uploaded.length);
    }

    const again = await uploadFixture(server, stripper, jpeg);
    expect(again.body).toEqual({ id: uploads[0]?.id, status: 'duplicate' });
    const againByTus = await tusUpload(stripper, tusMp4);
    expect(againByTus).toEqual({ id: uploads[5]?.id, status: 'duplicate' });
    const check = await api<{ existing: { checksum: string; id: string }[] }>(
      server,
      'POST',
      '/api/assets/check',
      { token: stripper.token, body: { checksums: [sha1(await fsp.readFile(heic))] } },
    );
    expect(check.body.existing).toEqual([
      { checksum: sha1(await fsp.readFile(heic)), id: uploads[2]?.id },
    ]);
  });

  it('keeps a file that carries no location byte for byte', async () => {
    const plain = photo('exif-samples/jpg/Nikon_D70.jpg');
    const uploaded = await fsp.readFile(plain);
    expect(await locationOf(uploaded)).toEqual([]);
    const { body } = await uploadFixture(server, stripper, plain);
    expect((await original(stripper, body.id)).equals(uploaded)).toBe(true);
  });

  it("follows the album owner's setting for an upload through a share link", async () => {
    const album = await api<{ id: string }>(server, 'POST', '/api/albums', {
      token: stripper.token,
      body: { title: 'Drop box' },
    });
    const link = await createLink(server, stripper, { albumId: album.body.id, allowUpload: true });
    const form = new FormData();
    const file = photo('exif-samples/jpg/gps/DSCN0021.jpg');
    form.append('file', await openAsBlob(file), 'visitor.jpg');
    const uploaded = await visit<{ id: string; status: string }>(
      server,
      'POST',
      `/api/s/${link.key}/upload`,
      { body: form },
    );
    expect(uploaded.status).toBe(201);
    await waitForJobs(server);
    const view = await asset(stripper, uploaded.body.id);
    expect(view).toMatchObject({ latitude: null, longitude: null });
    expect(await locationOf(await original(stripper, view.id))).toEqual([]);
    expect(view.checksum).toBe(sha1(await fsp.readFile(file)));
  });

  it('keeps the location and the exact bytes for a user who did not ask', async () => {
    const ids: { file: string; id: string }[] = [];
    for (const file of [jpeg, mov]) {
      ids.push({ file, id: (await uploadFixture(server, keeper, file)).body.id });
    }
    ids.push({ file: tusMp4, id: (await tusUpload(keeper, tusMp4)).id });
    await waitForJobs(server);
    for (const { file, id } of ids) {
      const view = await asset(keeper, id);
      expect(view.latitude, file).not.toBeNull();
      expect(view.longitude, file).not.toBeNull();
      const stored = await original(keeper, id);
      expect(stored.equals(await fsp.readFile(file)), file).toBe(true);
      expect(view.fileSize).toBe(stored.length);
    }
  });

  it('keeps no place of a Takeout import, neither from the files nor from the JSON', async () => {
    const importer = await createUser(server, { admin: keeper });
    await api(server, 'PATCH', '/api/users/me', {
      token: importer.token,
      body: { stripLocation: true },
    });
    const zip = await zipTree(takeoutTree('Takeout1'), path.join(scratch, 'takeout-001.zip'));
    const { progress, report } = await importParts(server, importer, [zip]);
    expect(progress.status).toBe('done');
    await waitForJobs(server);
    const imported = report.files.filter((f) => f.outcome === 'imported' && f.assetId);
    expect(imported.length).toBeGreaterThan(3);
    for (const line of imported) {
      const view = await asset(importer, line.assetId ?? '');
      expect(view, line.path).toMatchObject({
        latitude: null,
        longitude: null,
        locationSource: null,
      });
      // The date still comes from Google's JSON.
      expect(view.dateSource).toBe('takeout-json');
      expect(await locationOf(await original(importer, view.id)), line.path).toEqual([]);
    }
    // Google's geoData was not even kept in the import's own records.
    const sidecars = await server.ctx.database.db
      .selectFrom('takeout_entries')
      .select('sidecar')
      .where('role', '=', 'sidecar')
      .execute();
    expect(sidecars.length).toBeGreaterThan(3);
    for (const { sidecar } of sidecars) {
      expect((JSON.parse(sidecar ?? '{}') as { location: unknown }).location).toBeNull();
    }
  });
});
