import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewAsset } from '../../db/db.types.js';
import {
  api,
  createUser,
  photo,
  uploadFixture,
  waitForJobs,
  type TestUser,
} from '../../test/factories.js';
import { dialects, startTestServer, type TestServer } from '../../test/test-server.js';

interface Bucket {
  bucket: string;
  count: number;
}
interface Page {
  bucket: string;
  ids: string[];
  types: string[];
  localDateTimes: string[];
  ratios: number[];
  thumbhashes: (string | null)[];
  durations: (number | null)[];
  favorites: boolean[];
}
interface Item {
  id: string;
  localDateTime: string;
  ratio: number;
  isFavorite: boolean;
  type: string;
  thumbhash: string | null;
}

// Capture dates from each file's own EXIF DateTimeOriginal.
const files = {
  gps10: { path: 'exif-samples/jpg/gps/DSCN0010.jpg', local: '2008-10-22T16:28:39' },
  gps21: { path: 'exif-samples/jpg/gps/DSCN0021.jpg', local: '2008-10-22T16:38:20' },
  canon: { path: 'exif-samples/jpg/Canon_40D.jpg', local: '2008-05-30T15:56:01' },
  portrait: { path: 'exif-samples/jpg/orientation/portrait_6.jpg', local: null },
};

describe.each(dialects)('timeline on %s', (dialect) => {
  let server: TestServer;
  let user: TestUser;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer(dialect);
    user = await createUser(server);
    for (const [name, file] of Object.entries(files)) {
      ids[name] = (await uploadFixture(server, user, photo(file.path))).body.id;
    }
    await waitForJobs(server);
  });
  afterAll(() => server.close());

  // Only the 2008 and older months: the photo without a capture date lands in the upload month.
  const buckets = async (view = 'timeline') =>
    (
      await api<Bucket[]>(server, 'GET', `/api/timeline/buckets?view=${view}`, {
        token: user.token,
      })
    ).body.filter((b) => b.bucket < '2009');
  const page = async (month: string, view = 'timeline', token = user.token) => {
    const response = await api<Page>(server, 'GET', `/api/timeline/buckets/${month}?view=${view}`, {
      token,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    return response.body;
  };
  // The columnar page turned back into one object per asset.
  const bucket = async (month: string, view = 'timeline'): Promise<Item[]> => {
    const p = await page(month, view);
    return p.ids.map((id, i) => ({
      id,
      type: p.types[i] ?? '',
      localDateTime: p.localDateTimes[i] ?? '',
      ratio: p.ratios[i] ?? 0,
      thumbhash: p.thumbhashes[i] ?? null,
      isFavorite: p.favorites[i] ?? false,
    }));
  };

  it('groups by month of the local capture time, newest first', async () => {
    const list = await buckets();
    expect(list.slice(0, 2)).toEqual([
      { bucket: '2008-10', count: 2 },
      { bucket: '2008-05', count: 1 },
    ]);
    const october = await bucket('2008-10');
    expect(october.map((i) => i.localDateTime)).toEqual([files.gps21.local, files.gps10.local]);
    expect(october[0]).toMatchObject({ id: ids.gps21, type: 'image', isFavorite: false });
    expect(october[0]?.thumbhash).toBeTruthy();
  });

  it('sends a month as parallel arrays of one length, and nothing of other users', async () => {
    const october = await page('2008-10');
    expect(october.bucket).toBe('2008-10');
    const lengths = Object.values(october)
      .filter((v) => Array.isArray(v))
      .map((v) => (v as unknown[]).length);
    expect(lengths).toEqual([2, 2, 2, 2, 2, 2, 2]);
    expect(october.durations).toEqual([null, null]);
    expect(october.ratios.every((r) => r > 1)).toBe(true);
    const other = await createUser(server, { admin: user });
    const empty = await page('2008-10', 'timeline', other.token);
    expect(empty).toEqual({
      bucket: '2008-10',
      ids: [],
      types: [],
      localDateTimes: [],
      ratios: [],
      thumbhashes: [],
      durations: [],
      favorites: [],
    });
  });

  it('gives the ratio after orientation', async () => {
    const all = (
      await api<Bucket[]>(server, 'GET', '/api/timeline/buckets', { token: user.token })
    ).body.map((b) => b.bucket);
    const items = (await Promise.all(all.map((b) => bucket(b)))).flat();
    const portrait = items.find((i) => i.id === ids.portrait);
    expect(portrait?.ratio).toBeLessThan(1);
  });

  it('leaves archived and trashed assets out unless asked for', async () => {
    await api(server, 'PATCH', `/api/assets/${ids.gps10}`, {
      token: user.token,
      body: { isArchived: true },
    });
    await api(server, 'DELETE', `/api/assets/${ids.canon}`, { token: user.token });
    const list = await buckets();
    expect(list.find((b) => b.bucket === '2008-10')?.count).toBe(1);
    expect(list.find((b) => b.bucket === '2008-05')).toBeUndefined();
    expect((await bucket('2008-10')).map((i) => i.id)).toEqual([ids.gps21]);
    expect(await buckets('archive')).toEqual([{ bucket: '2008-10', count: 1 }]);
    expect((await bucket('2008-10', 'archive')).map((i) => i.id)).toEqual([ids.gps10]);
    expect(await buckets('trash')).toEqual([{ bucket: '2008-05', count: 1 }]);
    expect((await buckets('all')).find((b) => b.bucket === '2008-10')?.count).toBe(2);

    await api(server, 'POST', '/api/assets/restore', {
      token: user.token,
      body: { ids: [ids.canon] },
    });
    await api(server, 'PATCH', `/api/assets/${ids.gps10}`, {
      token: user.token,
      body: { isArchived: false, isFavorite: true },
    });
    expect((await buckets()).slice(0, 2)).toEqual([
      { bucket: '2008-10', count: 2 },
      { bucket: '2008-05', count: 1 },
    ]);
    expect(await buckets('favorites')).toEqual([{ bucket: '2008-10', count: 1 }]);
  });

  it('moves an asset to its new month when its date is corrected', async () => {
    await api(server, 'PATCH', `/api/assets/${ids.gps21}`, {
      token: user.token,
      body: { localDateTime: '1999-12-31T23:59:00' },
    });
    const list = await buckets();
    expect(list.find((b) => b.bucket === '2008-10')?.count).toBe(1);
    expect(list.at(-1)).toEqual({ bucket: '1999-12', count: 1 });
  });

  it('orders a large month newest first, whatever order the rows were written in', async () => {
    const many = await createUser(server, { admin: user });
    const rows = Array.from({ length: 600 }, (_, i): NewAsset => {
      const day = String(1 + (i % 28)).padStart(2, '0');
      const minute = String(i % 60).padStart(2, '0');
      const local = `2015-03-${day}T${String(i % 24).padStart(2, '0')}:${minute}:00`;
      return {
        id: randomUUID(),
        owner_id: many.id,
        type: i % 10 === 0 ? 'video' : 'image',
        format: 'jpeg',
        mime_type: 'image/jpeg',
        status: 'ready',
        original_file_name: `IMG_${i}.jpg`,
        file_size: 1000,
        checksum: randomUUID(),
        uploaded_at: Date.now(),
        taken_at: Date.parse(`${local}Z`),
        local_date_time: local,
        date_source: 'exif',
        bucket: '2015-03',
        width: 4000,
        height: i % 3 === 0 ? 4000 : 3000,
        is_favorite: i % 7 === 0 ? 1 : 0,
        visibility: 'timeline',
        has_thumbnail: 0,
      };
    }).sort(() => Math.random() - 0.5);
    for (let i = 0; i < rows.length; i += 100) {
      await server.ctx.database.db
        .insertInto('assets')
        .values(rows.slice(i, i + 100))
        .execute();
    }
    const p = await page('2015-03', 'timeline', many.token);
    const expected = [...rows].sort((a, b) =>
      a.local_date_time === b.local_date_time
        ? b.id.localeCompare(a.id)
        : b.local_date_time.localeCompare(a.local_date_time),
    );
    expect(p.ids).toEqual(expected.map((r) => r.id));
    expect(p.localDateTimes).toEqual(expected.map((r) => r.local_date_time));
    expect(p.favorites).toEqual(expected.map((r) => r.is_favorite === 1));
    expect(p.types).toEqual(expected.map((r) => r.type));
    expect(p.ratios).toEqual(expected.map((r) => (r.height === 4000 ? 1 : 1.333)));
  });

  it('refuses a malformed month', async () => {
    const response = await api(server, 'GET', '/api/timeline/buckets/2023-1x', {
      token: user.token,
    });
    expect(response.status).toBe(400);
  });
});
