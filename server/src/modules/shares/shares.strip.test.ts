import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exiftool } from '../../media/media.exiftool.js';
import { decodeHeic } from '../../media/media.heic.js';
import {
  api,
  createUser,
  photo,
  uploadFixture,
  waitForJobs,
  type TestUser,
} from '../../test/factories.js';
import { dialects, startTestServer, type TestServer } from '../../test/test-server.js';
import { unzip } from '../../test/zip.js';
import { createLink, fetchBytes, type Link } from './shares.testing.js';

/** Tag names no file served by a link without metadata may carry, in any group. */
const forbidden = [
  /GPS/i,
  /SerialNumber/i,
  /^(City|Sub-?location|Province-?State|State|Country|CountryCode|Location|LocationName)$/i,
  /^(LocationCreated|LocationShown)/i,
  /^(OwnerName|Artist|Copyright|Creator|By-line|Rights|Credit|XPAuthor)$/i,
];

let scratch = '';

async function tagsOf(bytes: Buffer, ext: string): Promise<Record<string, unknown>> {
  const file = path.join(scratch, `${Math.random().toString(36).slice(2)}${ext}`);
  await fsp.writeFile(file, bytes);
  return exiftool().readRaw(file, { readArgs: ['-G1', '-a', '-ee'] });
}

/** Tags that must not be there: any IPTC or XMP (but the toolkit's name), GPS, or a forbidden name. */
function leaks(tags: Record<string, unknown>): string[] {
  return Object.keys(tags).filter((key) => {
    const [group, name] = key.includes(':') ? key.split(':') : ['', key];
    if (key === 'XMP-x:XMPToolkit') return false;
    if (/^(IPTC|XMP|GPS)/.test(group ?? '')) return true;
    return forbidden.some((pattern) => pattern.test(name ?? ''));
  });
}

/** The file's pixels (or, for a video, its stream) still read. */
async function stillDecodes(bytes: Buffer, ext: string, type: string): Promise<void> {
  if (type === 'video') {
    const tags = await tagsOf(bytes, ext);
    expect(Number(tags['QuickTime:Duration'] ?? tags['Track1:TrackDuration'] ?? 0)).not.toBe(0);
    return;
  }
  if (ext === '.heic') {
    const file = path.join(scratch, `decode-${Math.random().toString(36).slice(2)}.heic`);
    await fsp.writeFile(file, bytes);
    const decoded = await decodeHeic(file);
    expect(decoded.width).toBeGreaterThan(100);
    return;
  }
  const { info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  expect(info.width).toBeGreaterThan(10);
}

const files = [
  { name: 'gps', path: photo('exif-samples/jpg/gps/DSCN0010.jpg'), ext: '.jpg', type: 'image' },
  {
    name: 'serial',
    path: photo('immich-test-assets/metadata/gps-position/thompson-springs.jpg'),
    ext: '.jpg',
    type: 'image',
  },
  { name: 'personal', path: '', ext: '.jpg', type: 'image' },
  { name: 'heic', path: photo('exif-samples/heic/IMG_5195.HEIC'), ext: '.heic', type: 'image' },
  { name: 'mov', path: photo('metadata-extractor/mov/with-gps.mov'), ext: '.mov', type: 'video' },
  { name: 'mp4', path: photo('metadata-extractor/mp4/with-gps.mp4'), ext: '.mp4', type: 'video' },
];

describe.each(dialects)('metadata off means stripped bytes, on %s', (dialect) => {
  let server: TestServer;
  let owner: TestUser;
  const ids: Record<string, string> = {};
  let hidden: Link;
  let shown: Link;

  beforeAll(async () => {
    scratch = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-strip-'));
    // A generated case beside the corpus: location and personal fields in IPTC, XMP and EXIF.
    const personal = path.join(scratch, 'personal.jpg');
    await fsp.copyFile(photo('exif-samples/jpg/gps/DSCN0012.jpg'), personal);
    await exiftool().write(
      personal,
      {},
      {
        writeArgs: [
          '-IPTC:City=Siena',
          '-IPTC:Province-State=Toscana',
          '-IPTC:Country-PrimaryLocationName=Italy',
          '-IPTC:By-line=Jane Doe',
          '-XMP-photoshop:City=Siena',
          '-XMP-iptcCore:Location=Piazza del Campo',
          '-XMP-dc:Creator=Jane Doe',
          '-Artist=Jane Doe',
          '-Copyright=Jane Doe',
          '-OwnerName=Jane Doe',
          '-SerialNumber=1234567',
          '-overwrite_original',
        ],
      },
    );
    const personalFile = files.find((f) => f.name === 'personal');
    if (personalFile) personalFile.path = personal;
    expect(leaks(await tagsOf(await fsp.readFile(personal), '.jpg')).length).toBeGreaterThan(8);

    server = await startTestServer(dialect);
    owner = await createUser(server);
    for (const file of files) {
      ids[file.name] = (await uploadFixture(server, owner, file.path)).body.id;
    }
    await waitForJobs(server);
    const album = await api<{ id: string }>(server, 'POST', '/api/albums', {
      token: owner.token,
      body: { title: 'Trip', assetIds: Object.values(ids) },
    });
    hidden = await createLink(server, owner, { albumId: album.body.id, allowDownload: true });
    shown = await createLink(server, owner, {
      albumId: album.body.id,
      allowDownload: true,
      showMetadata: true,
    });
  });
  afterAll(async () => {
    await server.close();
    await fsp.rm(scratch, { recursive: true, force: true });
  });

  const cells = files.flatMap((file) =>
    (['thumbnail', 'preview', 'fullsize', 'original'] as const).map(
      (kind) => [file.name, kind, file] as const,
    ),
  );

  it.each(cells)(
    '%s: the %s carries no location, serial or personal tag',
    async (name, kind, file) => {
      const response = await fetchBytes(
        server,
        'GET',
        `/api/s/${hidden.key}/assets/${ids[name]}/${kind}`,
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('private, no-store');
      const ext =
        kind === 'thumbnail'
          ? '.webp'
          : kind === 'preview'
            ? '.jpg'
            : kind === 'fullsize' && name === 'heic'
              ? '.jpg'
              : file.ext;
      const tags = await tagsOf(response.bytes, ext);
      expect(leaks(tags), JSON.stringify(tags)).toEqual([]);
      const shownType =
        kind === 'thumbnail' || kind === 'preview' || ext === '.jpg' ? 'image' : file.type;
      await stillDecodes(response.bytes, ext, shownType);
      if (kind === 'original') {
        expect(response.headers.get('content-disposition')).not.toContain(path.basename(file.path));
      }
    },
  );

  it('zips stripped originals under neutral names', async () => {
    const response = await fetchBytes(server, 'POST', `/api/s/${hidden.key}/download`, {
      body: {},
    });
    expect(response.status).toBe(200);
    const entries = await unzip(response.bytes);
    expect(entries.size).toBe(files.length);
    for (const [entryName, bytes] of entries) {
      expect(entryName).toMatch(/^(photo|video)-\d{3}\.[a-z0-9]+$/);
      const tags = await tagsOf(bytes, path.extname(entryName));
      expect(leaks(tags), entryName).toEqual([]);
    }
  });

  it('shows no location, camera or file name in the JSON', async () => {
    const response = await api<{ assets: { metadata: unknown }[] }>(
      server,
      'GET',
      `/api/s/${hidden.key}`,
    );
    const text = JSON.stringify(response.body);
    for (const leak of ['DSCN', 'latitude', 'NIKON', 'iPhone', '.mov', 'thompson']) {
      expect(text).not.toContain(leak);
    }
    expect(response.body.assets.every((a) => a.metadata === null)).toBe(true);
  });

  it('serves the original byte for byte when the owner shows metadata', async () => {
    for (const file of files) {
      const response = await fetchBytes(
        server,
        'GET',
        `/api/s/${shown.key}/assets/${ids[file.name]}/original`,
      );
      expect(response.bytes.equals(await fsp.readFile(file.path)), file.name).toBe(true);
      expect(response.headers.get('content-disposition')).toContain(path.basename(file.path));
    }
    const zip = await fetchBytes(server, 'POST', `/api/s/${shown.key}/download`, { body: {} });
    const entries = await unzip(zip.bytes);
    expect([...entries.keys()].sort()).toEqual(files.map((f) => path.basename(f.path)).sort());
    const json = await api<{ assets: { metadata: { latitude: number | null } | null }[] }>(
      server,
      'GET',
      `/api/s/${shown.key}`,
    );
    expect(json.body.assets.some((a) => a.metadata?.latitude)).toBe(true);
  });

  it('deletes the stripped copy with the asset', async () => {
    const key = `stripped/${owner.id}/${ids.gps}`;
    const listed = async () => {
      const keys: string[] = [];
      for await (const k of server.ctx.blobs.list(`stripped/${owner.id}`)) keys.push(k);
      return keys;
    };
    expect(await listed()).toContain(key);
    await api(server, 'POST', '/api/assets/trash', {
      token: owner.token,
      body: { ids: [ids.gps] },
    });
    await api(server, 'POST', '/api/assets/delete', {
      token: owner.token,
      body: { ids: [ids.gps] },
    });
    await waitForJobs(server);
    expect(await listed()).not.toContain(key);
  });
});
