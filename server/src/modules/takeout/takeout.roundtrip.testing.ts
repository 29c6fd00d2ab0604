// Test support for the round trip: a library as the API shows it, keyed by checksum.
import { api, type TestUser } from '../../test/factories.js';
import type { TestServer } from '../../test/test-server.js';
import type { AlbumDetail, AlbumSummary } from '../albums/albums.service.js';
import type { AssetView } from '../assets/assets.view.js';
import { fetchBytes, sha1 } from '../export/export.testing.js';

export async function call<T>(
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

/** Everything about an asset that must survive the round trip, and its files' checksums. */
async function snapshot(server: TestServer, user: TestUser, id: string) {
  const view = await call<AssetView>(server, user, 'GET', `/api/assets/${id}`);
  const original = await fetchBytes(server, user, `/api/assets/${id}/original`);
  const motion = view.hasMotion ? await fetchBytes(server, user, `/api/assets/${id}/motion`) : null;
  return {
    checksum: view.checksum,
    originalSha1: sha1(original.bytes),
    motionSha1: motion ? sha1(motion.bytes) : null,
    type: view.type,
    mimeType: view.mimeType,
    originalFileName: view.originalFileName,
    fileCreatedAt: view.fileCreatedAt,
    fileModifiedAt: view.fileModifiedAt,
    takenAt: view.takenAt,
    localDateTime: view.localDateTime,
    utcOffsetMinutes: view.utcOffsetMinutes,
    dateSource: view.dateSource,
    latitude: view.latitude,
    longitude: view.longitude,
    altitude: view.altitude,
    locationSource: view.locationSource,
    description: view.description,
    isFavorite: view.isFavorite,
    isArchived: view.isArchived,
    isLocked: view.isLocked,
    isTrashed: view.isTrashed,
    trashedAt: view.trashedAt,
    hasMotion: view.hasMotion,
    // Read again from the file by the importing server.
    make: view.make,
    model: view.model,
    width: view.width,
    height: view.height,
    durationSeconds: view.durationSeconds,
    status: view.status,
  };
}
export type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/** The library by checksum. */
export async function library(server: TestServer, user: TestUser, ids: Iterable<string>) {
  const out = new Map<string, Snapshot>();
  for (const id of new Set(ids)) {
    const s = await snapshot(server, user, id);
    out.set(s.checksum, s);
  }
  return out;
}

/** The user's own albums with members and cover by checksum, by title. */
export async function albumsOf(server: TestServer, user: TestUser) {
  const list = await call<AlbumSummary[]>(server, user, 'GET', '/api/albums');
  const checksum = async (id: string | null) =>
    id === null ? null : (await call<AssetView>(server, user, 'GET', `/api/assets/${id}`)).checksum;
  const out = [];
  for (const album of list.filter((a) => a.role === 'owner')) {
    const detail = await call<AlbumDetail>(server, user, 'GET', `/api/albums/${album.id}`);
    const members = await Promise.all(detail.assetIds.map(checksum));
    out.push({
      title: album.title,
      description: album.description,
      sortOrder: album.sortOrder,
      cover: await checksum(album.coverAssetId),
      members: members.sort(),
    });
  }
  return out.sort((a, b) => a.title.localeCompare(b.title));
}
