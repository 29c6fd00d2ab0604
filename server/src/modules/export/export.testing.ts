import { createHash } from 'node:crypto';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AssetView } from '../assets/assets.view.js';
import {
  api,
  createUser,
  photo,
  uploadFixture,
  waitForJobs,
  type TestUser,
} from '../../test/factories.js';
import type { Dialect } from '../../db/database.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { unzip } from '../../test/zip.js';
import type { AssetDocument } from './export.documents.js';
import type { ExportView } from './export.view.js';

export const sha1 = (bytes: Buffer): string => createHash('sha1').update(bytes).digest('hex');

/** The corpus files of the seeded library, by role. */
export const corpusFiles = {
  gps: photo('exif-samples/jpg/gps/DSCN0010.jpg'),
  heic: photo('exif-samples/heic/IMG_5195.HEIC'),
  video: photo('metadata-extractor/mov/with-gps.mov'),
  archived: photo('exif-samples/jpg/Nikon_D70.jpg'),
  trashed: photo('exif-samples/jpg/gps/DSCN0012.jpg'),
  locked: photo('exif-samples/jpg/Pentax_K10D.jpg'),
  inOthersAlbum: photo('exif-samples/jpg/Kodak_CX7530.jpg'),
};
export type Role = keyof typeof corpusFiles | 'live';

/** A Pixel "MVIMG" motion photo: a JPEG with the MicroVideo XMP and a video at its end. */
async function motionPhoto(dir: string): Promise<{ file: string; video: Buffer }> {
  const still = await fsp.readFile(photo('exif-samples/jpg/Canon_40D.jpg'));
  const video = await fsp.readFile(photo('metadata-extractor/mp4/sample_mpeg4.mp4'));
  const xmp = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:GCamera="http://ns.google.com/photos/1.0/camera/" GCamera:MicroVideo="1" GCamera:MicroVideoVersion="1" GCamera:MicroVideoOffset="${video.length}"/></rdf:RDF></x:xmpmeta>`;
  const body = Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0'), Buffer.from(xmp)]);
  const header = Buffer.from([0xff, 0xe1, 0, 0]);
  header.writeUInt16BE(body.length + 2, 2);
  const file = path.join(dir, 'MVIMG_20190101_101010.jpg');
  await fsp.writeFile(
    file,
    Buffer.concat([still.subarray(0, 2), header, body, still.subarray(2), video]),
  );
  return { file, video };
}

export interface SeededLibrary {
  owner: TestUser;
  other: TestUser;
  /** Asset ids by role. */
  ids: Record<Role, string>;
  /** The bytes uploaded, by asset id. */
  uploaded: Map<string, Buffer>;
  motionVideo: Buffer;
  albumId: string;
  othersAlbumId: string;
  linkId: string;
}

async function call<T>(
  server: TestServer,
  user: TestUser,
  method: string,
  url: string,
  body?: unknown,
): Promise<T> {
  const response = await api<T>(server, method, url, { token: user.token, body });
  if (response.status >= 300) {
    throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

/**
 * A library with every state an export must carry: a favourite with a description and GPS, a
 * HEIC, a video, a live photo, archived, trashed and locked assets, an album shared with another
 * user, the owner's photo in the other user's album, and a share link that was visited.
 */
export async function seedLibrary(server: TestServer): Promise<SeededLibrary> {
  const owner = await createUser(server);
  const other = await createUser(server, { admin: owner });
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-export-seed-'));
  const live = await motionPhoto(dir);
  const ids = {} as Record<Role, string>;
  const uploaded = new Map<string, Buffer>();
  const files: [Role, string][] = [...Object.entries(corpusFiles), ['live', live.file]] as [
    Role,
    string,
  ][];
  for (const [role, file] of files) {
    const response = await uploadFixture(server, owner, file);
    if (response.status !== 201) throw new Error(`upload ${file}: ${response.status}`);
    ids[role] = response.body.id;
    uploaded.set(response.body.id, await fsp.readFile(file));
  }
  await fsp.rm(dir, { recursive: true, force: true });
  await waitForJobs(server);
  const liveView = await call<AssetView>(server, owner, 'GET', `/api/assets/${ids.live}`);
  if (!liveView.hasMotion) throw new Error('the motion photo got no motion part');

  await call(server, owner, 'PATCH', `/api/assets/${ids.gps}`, {
    isFavorite: true,
    description: 'Café <terrasse> & “friends”\non two lines',
  });
  await call(server, owner, 'PATCH', `/api/assets/${ids.archived}`, { isArchived: true });
  await call(server, owner, 'POST', '/api/assets/trash', { ids: [ids.trashed] });
  // No endpoint moves a photo into the locked folder yet (imports do): set it directly.
  await server.ctx.database.db
    .updateTable('assets')
    .set({ visibility: 'locked' })
    .where('id', '=', ids.locked)
    .execute();

  const album = await call<{ id: string }>(server, owner, 'POST', '/api/albums', {
    title: 'Summer / “best” of',
    description: 'Holidays',
    assetIds: [ids.gps, ids.heic, ids.video],
  });
  await call(server, owner, 'PUT', `/api/albums/${album.id}/members/${other.id}`, {
    role: 'viewer',
  });
  const othersAlbum = await call<{ id: string }>(server, other, 'POST', '/api/albums', {
    title: 'Other’s trip',
  });
  await call(server, other, 'PUT', `/api/albums/${othersAlbum.id}/members/${owner.id}`, {
    role: 'editor',
  });
  await call(server, owner, 'POST', `/api/albums/${othersAlbum.id}/assets`, {
    ids: [ids.inOthersAlbum],
  });

  const link = await call<{ id: string; key: string }>(server, owner, 'POST', '/api/shares', {
    assetIds: [ids.gps, ids.live],
    label: 'for grandma',
  });
  for (let i = 0; i < 2; i++) {
    const visit = await api(server, 'GET', `/api/s/${link.key}`);
    if (visit.status !== 200) throw new Error(`visit: ${visit.status}`);
  }
  return {
    owner,
    other,
    ids,
    uploaded,
    motionVideo: live.video,
    albumId: album.id,
    othersAlbumId: othersAlbum.id,
    linkId: link.id,
  };
}

/** Starts an export and waits until it is ready (or failed). */
export async function runExport(
  server: TestServer,
  user: TestUser,
  partSizeBytes: number,
): Promise<ExportView> {
  const started = await call<ExportView>(server, user, 'POST', '/api/exports', { partSizeBytes });
  for (let i = 0; i < 600; i++) {
    const view = await call<ExportView>(server, user, 'GET', `/api/exports/${started.id}`);
    if (view.status === 'ready' || view.status === 'failed') return view;
    await sleep(100);
  }
  throw new Error('the export did not finish in time');
}

export async function fetchBytes(
  server: TestServer,
  user: TestUser,
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const response = await fetch(server.url + url, { headers: { ...user.headers, ...headers } });
  return {
    status: response.status,
    bytes: Buffer.from(await response.arrayBuffer()),
    headers: response.headers,
  };
}

/** Every file of every part, by path; a path found in two parts is an error. */
export async function unzipAll(parts: readonly Buffer[]): Promise<Map<string, Buffer>> {
  const all = new Map<string, Buffer>();
  for (const part of parts) {
    for (const [name, bytes] of await unzip(part)) {
      if (all.has(name)) throw new Error(`${name} is in two parts`);
      all.set(name, bytes);
    }
  }
  return all;
}

/** A seeded library exported in parts of `partSize`, downloaded and unzipped. */
export interface ExportFixture {
  server: TestServer;
  lib: SeededLibrary;
  view: ExportView;
  /** Each part's bytes, in order. */
  parts: Buffer[];
  /** Every file of the export by its full path in the zips. */
  files: Map<string, Buffer>;
  /** The folder all paths start with. */
  root: string;
  /** The asset documents by asset id. */
  documents: Map<string, AssetDocument>;
  /** A file by its path relative to the root. */
  file: (relative: string) => Buffer | undefined;
}

export const partSize = 1024 * 1024;

export async function startExportFixture(dialect: Dialect): Promise<ExportFixture> {
  const server = await startTestServer(dialect);
  const lib = await seedLibrary(server);
  const view = await runExport(server, lib.owner, partSize);
  const parts: Buffer[] = [];
  for (const part of view.parts) parts.push((await fetchBytes(server, lib.owner, part.url)).bytes);
  const files = await unzipAll(parts);
  const root = [...files.keys()][0]?.split('/')[0] ?? '';
  const documents = new Map<string, AssetDocument>();
  for (const [name, bytes] of files) {
    if (name.endsWith('.json') && name.split('/').length > 2) {
      const document = JSON.parse(bytes.toString()) as AssetDocument;
      documents.set(document.id, document);
    }
  }
  const file = (relative: string) => files.get(`${root}/${relative}`);
  return { server, lib, view, parts, files, root, documents, file };
}
