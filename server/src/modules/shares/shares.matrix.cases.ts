import type { TestUser } from '../../test/factories.js';

// The table of shares.matrix.test.ts: every album and asset endpoint, and the status each role
// must get.

export type Role = 'owner' | 'editor' | 'viewer' | 'stranger' | 'anonymous';
export const roles: Role[] = ['owner', 'editor', 'viewer', 'stranger', 'anonymous'];

export interface Fixture {
  users: Record<Exclude<Role, 'anonymous'>, TestUser>;
  /** One own photo per user, in nobody's album. */
  own: Record<Exclude<Role, 'anonymous'>, string>;
  /** Owner's photos in the album, and the editor's photo the editor put in. */
  a: string;
  b: string;
  e: string;
  album: string;
}

export interface Row {
  name: string;
  /** Status per role; null: not asked (an owner's destructive success is tested elsewhere). */
  expect: Record<Role, number | null>;
  request: (f: Fixture, role: Role) => { method: string; url: string; body?: unknown };
  /** A write: run on a fresh album, and check that a refusal left it unchanged. */
  write?: boolean;
}

const every = (status: number, others: Partial<Record<Role, number | null>> = {}) => ({
  owner: status,
  editor: status,
  viewer: status,
  stranger: 404,
  anonymous: 401,
  ...others,
});

export const rows: Row[] = [
  {
    name: 'GET album',
    expect: every(200),
    request: (f) => ({ method: 'GET', url: `/api/albums/${f.album}` }),
  },
  {
    name: 'PATCH album',
    write: true,
    expect: every(200, { editor: 403, viewer: 403 }),
    request: (f) => ({ method: 'PATCH', url: `/api/albums/${f.album}`, body: { title: 'Taken' } }),
  },
  {
    name: 'DELETE album',
    write: true,
    expect: every(204, { editor: 403, viewer: 403 }),
    request: (f) => ({ method: 'DELETE', url: `/api/albums/${f.album}` }),
  },
  {
    name: 'add own photo to album',
    write: true,
    expect: every(200, { viewer: 403 }),
    request: (f, role) => ({
      method: 'POST',
      url: `/api/albums/${f.album}/assets`,
      body: { ids: [f.own[role === 'anonymous' ? 'owner' : role]] },
    }),
  },
  {
    name: "add someone else's photo to album",
    write: true,
    expect: every(404, { viewer: 403 }),
    request: (f, role) => ({
      method: 'POST',
      url: `/api/albums/${f.album}/assets`,
      body: { ids: [role === 'stranger' ? f.own.owner : f.own.stranger] },
    }),
  },
  {
    name: "remove another's photo from album",
    write: true,
    expect: every(200, { viewer: 403 }),
    request: (f) => ({
      method: 'DELETE',
      url: `/api/albums/${f.album}/assets`,
      body: { ids: [f.b] },
    }),
  },
  {
    name: 'share album with a user',
    write: true,
    expect: every(200, { editor: 403, viewer: 403 }),
    request: (f) => ({
      method: 'PUT',
      url: `/api/albums/${f.album}/members/${f.users.stranger.id}`,
      body: { role: 'editor' },
    }),
  },
  {
    name: 'remove the viewer (the viewer: leave)',
    write: true,
    expect: every(204, { editor: 403 }),
    request: (f) => ({
      method: 'DELETE',
      url: `/api/albums/${f.album}/members/${f.users.viewer.id}`,
    }),
  },
  {
    name: 'create a link to the album',
    expect: every(201, { editor: 403, viewer: 403 }),
    request: (f) => ({ method: 'POST', url: '/api/shares', body: { albumId: f.album } }),
  },
  ...(['', '/thumbnail', '/preview', '/fullsize', '/original'] as const).map((suffix): Row => ({
    name: `GET asset${suffix} (owner's photo in the album)`,
    expect: every(200),
    request: (f) => ({ method: 'GET', url: `/api/assets/${f.a}${suffix}` }),
  })),
  {
    name: "GET the editor's photo in the owner's album",
    expect: every(200),
    request: (f) => ({ method: 'GET', url: `/api/assets/${f.e}` }),
  },
  {
    name: 'zip of an album photo',
    expect: every(200),
    request: (f) => ({ method: 'POST', url: '/api/assets/download', body: { ids: [f.a] } }),
  },
  {
    name: 'GET a photo of the owner not in the album',
    expect: every(200, { editor: 404, viewer: 404 }),
    request: (f) => ({ method: 'GET', url: `/api/assets/${f.own.owner}` }),
  },
  {
    name: 'PATCH asset',
    write: true,
    expect: every(200, { editor: 404, viewer: 404 }),
    request: (f) => ({ method: 'PATCH', url: `/api/assets/${f.a}`, body: { isFavorite: true } }),
  },
  {
    name: 'trash asset',
    write: true,
    expect: every(204, { owner: null, editor: 404, viewer: 404 }),
    request: (f) => ({ method: 'POST', url: '/api/assets/trash', body: { ids: [f.a] } }),
  },
  {
    name: 'delete asset for good',
    write: true,
    expect: every(204, { owner: null, editor: 404, viewer: 404 }),
    request: (f) => ({ method: 'POST', url: '/api/assets/delete', body: { ids: [f.a] } }),
  },
];
