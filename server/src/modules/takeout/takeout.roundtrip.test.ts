// The GDPR round trip: a library exported from one PixelUnion and imported into a fresh one
// comes back with every asset, date, place, album and state equal.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUser,
  photo,
  uploadFixture,
  waitForJobs,
  type TestUser,
} from '../../test/factories.js';
import { dialects, startTestServer, type TestServer } from '../../test/test-server.js';
import type { AssetDocument } from '../export/export.documents.js';
import {
  fetchBytes,
  runExport,
  seedLibrary,
  unzipAll,
  type SeededLibrary,
} from '../export/export.testing.js';
import { albumsOf, call, library, type Snapshot } from './takeout.roundtrip.testing.js';
import { importParts, takeoutTree, zipTree, type ImportReport } from './takeout.testing.js';

const timeout = 600_000;

describe.each(dialects)('a PixelUnion export imported into a fresh PixelUnion (%s)', (dialect) => {
  let a: TestServer;
  let b: TestServer;
  let bAdmin: TestUser;
  let lib: SeededLibrary;
  let dir: string;
  let partFiles: string[];
  let files: Map<string, Buffer>;
  const documents = new Map<string, AssetDocument>();
  let before: Map<string, Snapshot>;
  let albumsBefore: Awaited<ReturnType<typeof albumsOf>>;

  beforeAll(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-roundtrip-'));
    a = await startTestServer(dialect);
    lib = await seedLibrary(a);
    const { owner } = lib;
    // A date corrected by hand, a file with its own times, and an album's cover and order.
    await call(a, owner, 'PATCH', `/api/assets/${lib.ids.heic}`, {
      localDateTime: '2001-02-03T04:05:06',
      utcOffsetMinutes: -210,
    });
    const timed = await uploadFixture(a, owner, photo('exif-samples/jpg/PaintTool_sample.jpg'), {
      fileCreatedAt: '2011-04-05T06:07:08.000Z',
      fileModifiedAt: '2012-05-06T07:08:09.000Z',
    });
    if (timed.status !== 201) throw new Error(`upload: ${timed.status}`);
    await call(a, owner, 'PATCH', `/api/albums/${lib.albumId}`, {
      coverAssetId: lib.ids.heic,
      sortOrder: 'asc',
    });
    // Dates and places from Google's JSON, albums made by a Takeout import.
    const takeouts = await Promise.all(
      ['Takeout1', 'Takeout2', 'Takeout3'].map((tree, i) =>
        zipTree(takeoutTree(tree), path.join(dir, `takeout-${i}.zip`)),
      ),
    );
    const google = await importParts(a, owner, takeouts);
    if (google.progress.status !== 'done') throw new Error('the Takeout import did not finish');
    await waitForJobs(a);

    const view = await runExport(a, owner, 1024 * 1024);
    if (view.status !== 'ready') throw new Error(`export: ${JSON.stringify(view)}`);
    partFiles = [];
    const parts: Buffer[] = [];
    for (const [i, part] of view.parts.entries()) {
      const { status, bytes } = await fetchBytes(a, owner, part.url);
      if (status !== 200) throw new Error(`part ${i}: ${status}`);
      parts.push(bytes);
      const file = path.join(dir, `pixelunion-export-part-${i + 1}.zip`);
      await fsp.writeFile(file, bytes);
      partFiles.push(file);
    }
    files = await unzipAll(parts);
    for (const [name, bytes] of files) {
      if (!name.endsWith('.json')) continue;
      const doc = JSON.parse(bytes.toString()) as { format?: string };
      if (doc.format === 'pixelunion.asset') {
        const asset = doc as AssetDocument;
        documents.set(asset.id, asset);
      }
    }
    before = await library(a, owner, documents.keys());
    albumsBefore = await albumsOf(a, owner);
    b = await startTestServer(dialect);
    bAdmin = await createUser(b);
  }, timeout);

  // Closing waits for the jobs still running (thumbnails, video previews of 18 assets on two
  // servers), which on a busy machine has taken longer than the default minute.
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    await fsp.rm(dir, { recursive: true, force: true });
  }, timeout);

  it(
    'recreates every asset, date, place, state, live video and album',
    async () => {
      expect(partFiles.length).toBeGreaterThanOrEqual(2);
      // What the export holds covers every kind of asset and date the test needs.
      const sources = new Set([...before.values()].map((s) => s.dateSource));
      for (const source of ['user', 'takeout-json', 'exif', 'file-time']) {
        expect(sources, source).toContain(source);
      }
      const states = [...before.values()];
      expect(states.some((s) => s.isTrashed && !s.isFavorite)).toBe(true);
      expect(states.some((s) => s.isLocked)).toBe(true);
      expect(states.some((s) => s.isArchived)).toBe(true);
      expect(states.some((s) => s.hasMotion)).toBe(true);
      expect(states.some((s) => s.type === 'video')).toBe(true);
      expect(states.some((s) => s.locationSource === 'takeout-json')).toBe(true);

      const owner = await createUser(b, { admin: bAdmin });
      const { progress, report } = await importParts(b, owner, partFiles);
      expect(progress).toMatchObject({ status: 'done', source: 'pixelunion' });
      expect(report.import.source).toBe('pixelunion');
      const motions = [...documents.values()].filter((d) => d.motion !== null).length;
      expect(report.summary).toMatchObject({
        imported: documents.size,
        motion: motions,
        duplicates: 0,
        skipped: 0,
        failed: 0,
        refused: 0,
        pending: 0,
        matched: documents.size,
      });
      await waitForJobs(b);

      const assetIds = report.files.flatMap((f) => (f.assetId ? [f.assetId] : []));
      const after = await library(b, owner, assetIds);
      expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
      for (const [checksum, was] of before) {
        expect(after.get(checksum), was.originalFileName).toEqual(was);
      }
      expect(await albumsOf(b, owner)).toEqual(albumsBefore);

      accountsForEveryFile(report);
      expect(report.notes.join('\n')).toMatch(/not part of the import: “Other’s trip”/);
      expect(report.notes.join('\n')).toMatch(/members are not recreated/);
      expect(report.notes.join('\n')).toMatch(/Share links are not recreated \(1 in shares.json\)/);
      const titles = report.albums.map((album) => album.title).sort();
      expect(titles).toEqual(albumsBefore.map((album) => album.title).sort());

      // The same parts again: nothing new, not even an album.
      const count = async () =>
        Number(
          (
            await b.ctx.database.db
              .selectFrom('assets')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('owner_id', '=', owner.id)
              .executeTakeFirstOrThrow()
          ).n,
        );
      const assets = await count();
      const again = await importParts(b, owner, [...partFiles].reverse());
      expect(again.report.summary).toMatchObject({
        imported: 0,
        duplicates: documents.size,
        failed: 0,
      });
      expect(await count()).toBe(assets);
      expect(await albumsOf(b, owner)).toEqual(albumsBefore);
    },
    timeout,
  );

  /** Every file of the parts is a line of the report, or the JSON of one, or albums.json. */
  function accountsForEveryFile(report: ImportReport) {
    const lines = new Map(report.files.map((f) => [f.path, f]));
    const sidecars = new Set(report.files.flatMap((f) => (f.sidecar ? [f.sidecar] : [])));
    for (const name of files.keys()) {
      if (name.endsWith('/albums.json')) continue;
      expect(lines.has(name) || sidecars.has(name), name).toBe(true);
      const line = lines.get(name);
      if (!line) continue;
      if (name.includes('/thumbnails/')) {
        expect(line).toMatchObject({
          outcome: 'ignored',
          detail: expect.stringMatching(/thumbnail \(made again on import\)/) as unknown,
        });
      } else if (name.endsWith('.xmp')) {
        expect(line).toMatchObject({
          outcome: 'ignored',
          detail: expect.stringMatching(/XMP/) as unknown,
        });
      } else if (/\/(index\.html|README\.txt|account\.json|shares\.json)$/.test(name)) {
        expect(line.outcome, name).toBe('ignored');
        expect(line.detail, name).toMatch(/^PixelUnion export: /);
      } else {
        expect(['imported', 'motion'], name).toContain(line.outcome);
      }
    }
  }

  it(
    'refuses an original whose bytes are not the ones its JSON names, and reads a zip made again',
    async () => {
      const owner = await createUser(b, { admin: bAdmin });
      const gps = documents.get(lib.ids.gps);
      const root = [...files.keys()][0]?.split('/')[0] ?? '';
      if (!gps?.file.path) throw new Error('no document for the GPS photo');
      const zip = new yazl.ZipFile();
      for (const [name, bytes] of files) {
        const changed =
          name === `${root}/${gps.file.path}.json`
            ? Buffer.from(JSON.stringify({ ...gps, file: { ...gps.file, sha1: '0'.repeat(40) } }))
            : bytes;
        zip.addBuffer(changed, name);
      }
      zip.end();
      const whole = path.join(dir, 'rezipped.zip');
      await pipeline(zip.outputStream, fs.createWriteStream(whole));
      const { report } = await importParts(b, owner, [whole]);
      const line = report.files.find((f) => f.path === `${root}/${gps.file.path}`);
      expect(line).toMatchObject({
        outcome: 'failed',
        detail: "checksum does not match the export's JSON",
      });
      expect(report.summary).toMatchObject({ imported: documents.size - 1, failed: 1 });
    },
    timeout,
  );
});
