import fsp from 'node:fs/promises';
import path from 'node:path';
import { ExifTool } from 'exiftool-vendored';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectFiles } from '../../cli/files.js';
import {
  api,
  corpus,
  createUser,
  photo,
  uploadFixture,
  waitForJobs,
  type TestUser,
} from '../../test/factories.js';
import { dialects, startTestServer, type TestServer } from '../../test/test-server.js';
import type { AssetView } from './assets.view.js';

// The oracle: each file's own tags, read with exiftool in numeric form.
const oracle = new ExifTool({ maxProcs: 1, taskTimeoutMillis: 20_000 });
type Tags = Record<string, unknown>;
const readTags = (file: string): Promise<Tags> =>
  oracle.readRaw<Tags>(file, {
    readArgs: [
      '-n',
      '-DateTimeOriginal',
      '-Make',
      '-Model',
      '-GPSLatitude',
      '-GPSLongitude',
      '-IFD0:Orientation',
    ],
  });

const fuzzing = photo('metadata-extractor/fuzzing');
const brokenHeif = photo(
  'metadata-extractor/heic/NegativeArraySizeException.HeifReader.processBoxes.heif',
);

/** 'YYYY:MM:DD HH:MM:SS' → 'YYYY-MM-DDTHH:MM:SS', or null for blank and zero dates. */
function exifLocal(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(value.trim());
  if (!m || m[1] === '0000' || m[2] === '00') return null;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`;
}

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== ''
    ? value.trim()
    : typeof value === 'number'
      ? String(value)
      : null;

afterAll(() => oracle.end());

describe.each(dialects)('the real-camera corpus on %s', (dialect) => {
  let server: TestServer;
  let user: TestUser;
  const uploaded = new Map<string, string>();

  beforeAll(async () => {
    server = await startTestServer(dialect);
    user = await createUser(server);
    const { files } = await collectFiles([path.join(corpus, 'photos')]);
    for (const file of files.filter((f) => !f.startsWith(fuzzing))) {
      const response = await uploadFixture(server, user, file);
      expect([200, 201, 415], `${file}: ${JSON.stringify(response.body)}`).toContain(
        response.status,
      );
      if (response.status === 201) uploaded.set(file, response.body.id);
    }
    await waitForJobs(server, 240_000);
  }, 300_000);
  afterAll(() => server.close());

  const asset = async (id: string) =>
    (await api<AssetView>(server, 'GET', `/api/assets/${id}`, { token: user.token })).body;

  it('reads back what each file says about its date, place, camera and orientation', async () => {
    expect(uploaded.size).toBeGreaterThan(100);
    let checkedDates = 0;
    let checkedGps = 0;
    for (const [file, id] of uploaded) {
      const tags = await readTags(file);
      const a = await asset(id);
      expect(a.status, file).not.toBe('processing');
      const local = exifLocal(tags.DateTimeOriginal);
      if (local && a.dateSource === 'exif') {
        expect(a.localDateTime.slice(0, 19), file).toBe(local);
        checkedDates++;
      }
      const [lat, lon] = [tags.GPSLatitude, tags.GPSLongitude];
      if (
        typeof lat === 'number' &&
        typeof lon === 'number' &&
        (lat !== 0 || lon !== 0) &&
        Math.abs(lat) <= 90
      ) {
        expect(a.latitude, file).toBeCloseTo(lat, 4);
        expect(a.longitude, file).toBeCloseTo(lon, 4);
        checkedGps++;
      }
      if (text(tags.Make)) expect(a.make, file).toBe(text(tags.Make));
      if (text(tags.Model)) expect(a.model, file).toBe(text(tags.Model));
      if (
        typeof tags.Orientation === 'number' &&
        a.type === 'image' &&
        tags.Orientation >= 1 &&
        tags.Orientation <= 8 &&
        a.format !== 'heic'
      ) {
        expect(a.orientation, file).toBe(tags.Orientation);
      }
    }
    expect(checkedDates).toBeGreaterThan(50);
    expect(checkedGps).toBeGreaterThan(10);
  });

  it('makes a thumbnail for every sound camera JPEG, HEIC and video', async () => {
    const sound = [...uploaded].filter(
      ([file]) =>
        /\.(jpe?g|heic|mp4|mov|3gp|nef|png|webp|avif)$/i.test(file) &&
        !/invalid|corrupted|tests\/|NegativeArray/.test(file),
    );
    expect(sound.length).toBeGreaterThan(60);
    for (const [file, id] of sound) {
      const a = await asset(id);
      expect({ file, status: a.status, error: a.error }).toEqual({
        file,
        status: 'ready',
        error: null,
      });
      expect(a.hasThumbnail, file).toBe(true);
    }
  });

  it('reads video duration and place, and the date of an iPhone HEIC', async () => {
    const mp4 = await asset(uploaded.get(photo('metadata-extractor/mp4/with-gps.mp4')) ?? '');
    expect(mp4.type).toBe('video');
    expect(mp4.durationSeconds).toBeGreaterThan(0);
    expect(mp4.latitude).not.toBeNull();
    const iphone = await asset(
      uploaded.get(photo('exif-samples/heic/mobile/iphone_13_pro_max.HEIC')) ?? '',
    );
    expect(iphone.dateSource).toBe('exif');
    expect(iphone.utcOffsetMinutes).not.toBeNull();
    expect(iphone.hasThumbnail).toBe(true);
    // Stored 4608×3456 with EXIF Orientation 1 and a HEIF irot of 90°: the irot box wins, as in libheif.
    const nokia = await asset(
      uploaded.get(photo('exif-samples/heic/mobile/HMD_Nokia_8.3_5G.heif')) ?? '',
    );
    expect(nokia.orientation).toBe(6);
    expect([nokia.width, nokia.height]).toEqual([3456, 4608]);
  });

  it('stores damaged files as unreadable, with a reason, and keeps serving', async () => {
    const files = [brokenHeif, ...(await fsp.readdir(fuzzing)).map((f) => path.join(fuzzing, f))];
    const outcomes = new Map<number, number>();
    const ids: string[] = [];
    for (const file of files) {
      const response = await uploadFixture(server, user, file);
      outcomes.set(response.status, (outcomes.get(response.status) ?? 0) + 1);
      expect([200, 201, 415], `${file}: ${response.status}`).toContain(response.status);
      if (response.status === 415) expect(response.body.error?.message).toBeTruthy();
      if (response.status === 201) ids.push(response.body.id);
    }
    await waitForJobs(server, 240_000);
    for (const id of ids) {
      const a = await asset(id);
      expect(['ready', 'unreadable']).toContain(a.status);
      if (a.status === 'unreadable') expect(a.error).toBeTruthy();
    }
    expect((await api(server, 'GET', '/api/health')).status).toBe(200);
    const fresh = await uploadFixture(
      server,
      user,
      photo('exif-samples/jpg/hdr/canon_hdr_YES.jpg'),
    );
    expect(fresh.status).toBe(200);
    expect((await asset(fresh.body.id)).status).toBe('ready');
  }, 300_000);
});
