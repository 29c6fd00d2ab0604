import type { Dialect } from '../../db/database.js';
import {
  api,
  createUser,
  photo,
  uploadFixture,
  waitForJobs,
  type TestUser,
} from '../../test/factories.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';

export interface Link {
  id: string;
  key: string;
  path: string;
  status: string;
  viewCount: number;
  expiresAt: string | null;
  hasPassword: boolean;
  allowDownload: boolean;
  showMetadata: boolean;
}

export interface ErrorBody {
  error: { code: string; message: string };
}

export async function createLink(
  server: TestServer,
  user: TestUser,
  body: Record<string, unknown>,
): Promise<Link> {
  const response = await api<Link>(server, 'POST', '/api/shares', { token: user.token, body });
  if (response.status !== 201) {
    throw new Error(`create link: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

/** A request of a link's visitor: no account, maybe the link's cookie. */
// T is the caller's expectation of the JSON body, as in factories.ts `api`.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export function visit<T = unknown>(
  server: TestServer,
  method: string,
  url: string,
  options: { cookie?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const headers = { ...options.headers, ...(options.cookie ? { cookie: options.cookie } : {}) };
  return api<T>(server, method, url, { body: options.body, headers });
}

/** The `name=value` of the link cookie a response set, for the next request's Cookie header. */
export function passCookieOf(headers: Headers): string | undefined {
  const cookie = headers.getSetCookie().find((c) => c.startsWith('pixelunion_link='));
  return cookie?.split(';')[0];
}

/** Bytes of a response body, and its headers. */
export async function fetchBytes(
  server: TestServer,
  method: string,
  url: string,
  init: { cookie?: string; body?: unknown; token?: string } = {},
): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (init.cookie) headers.cookie = init.cookie;
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(server.url + url, {
    method,
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return {
    status: response.status,
    bytes: Buffer.from(await response.arrayBuffer()),
    headers: response.headers,
  };
}

export interface SharingFixture {
  server: TestServer;
  owner: TestUser;
  stranger: TestUser;
  /** The owner's album holding `photoId`. */
  album: string;
  photoId: string;
  strangersPhoto: string;
}

/** A server with wrong passwords limited to 3, links living 7 days, and an owner's album. */
export async function startSharingFixture(dialect: Dialect): Promise<SharingFixture> {
  const server = await startTestServer(dialect, {
    PIXELUNION_LOGIN_MAX_ATTEMPTS: '3',
    PIXELUNION_LINK_DEFAULT_DAYS: '7',
  });
  const owner = await createUser(server);
  const stranger = await createUser(server, { admin: owner });
  const photoId = (await uploadFixture(server, owner, photo('exif-samples/jpg/gps/DSCN0010.jpg')))
    .body.id;
  const strangersPhoto = (
    await uploadFixture(server, stranger, photo('exif-samples/jpg/gps/DSCN0021.jpg'))
  ).body.id;
  await waitForJobs(server);
  const album = await api<{ id: string }>(server, 'POST', '/api/albums', {
    token: owner.token,
    body: { title: 'Siena', assetIds: [photoId] },
  });
  return { server, owner, stranger, album: album.body.id, photoId, strangersPhoto };
}
