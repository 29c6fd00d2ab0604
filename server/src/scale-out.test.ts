import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './db/database.js';
import { deleteQueueKeys } from './jobs/bullmq.redis.js';
import { queueNames, type QueueCounts } from './jobs/job-queue.js';
import type { FailedJob } from './jobs/job-queues.js';
import { takeoutTree, zipTree, type ImportReport } from './modules/takeout/takeout.testing.js';
import type { TakeoutProgress } from './modules/takeout/takeout.view.js';
import { blobKeys } from './storage/blob-store.js';
import { S3BlobStore } from './storage/s3.blob-store.js';
import { startLocalS3 } from './storage/s3rver.testing.js';
import { photo } from './test/factories.js';
import {
  addUser,
  json,
  metricsUrl,
  metricValue,
  runCleanup,
  signUp,
  tusUpload,
  until,
  uploadMultipart,
} from './test/processes.testing.js';
import { startServerProcess, type ServerProcess } from './test/server-process.js';
import { freshPostgresDatabase } from './test/test-server.js';

const redisUrl = process.env.REDIS_URL ?? '';
const services = Boolean(process.env.DATABASE_URL) && redisUrl !== '';

/** Real files of several kinds, each uploaded once (multipart). */
const corpusFiles = [
  ...['DSCN0010', 'DSCN0012', 'DSCN0021', 'DSCN0025', 'DSCN0027', 'DSCN0029'].map((name) =>
    photo(`exif-samples/jpg/gps/${name}.jpg`),
  ),
  photo('exif-samples/heic/IMG_5195.HEIC'),
  photo('metadata-extractor/mov/with-gps.mov'),
  photo('immich-test-assets/formats/webp/denali.webp'),
  photo('immich-test-assets/formats/png/density_plot.png'),
];
/** Uploaded with tus, its chunks alternating between the two api processes. */
const tusFile = photo('exif-samples/heic/mobile/iphone_13_pro_max.HEIC');
/** Re-encoded at as many sizes, so that the workers have a backlog of large distinct photos. */
const variantSource = photo('exif-samples/jpg/mobile/HMD_Nokia_8.3_5G.jpg');
const variantCount = 12;
/** What the corpus trees hold (takeout.corpus.test.ts): 14 media files, 9 distinct ones. */
const takeoutParts = ['Takeout1', 'Takeout2', 'Takeout3'];
const takeoutSummary = { media: 14, imported: 9, duplicates: 2, skipped: 3 };

const adminCredentials = {
  email: 'admin@example.org',
  password: 'a long password',
  name: 'Admin',
};
const userCredentials = {
  email: 'user@example.org',
  password: 'another long password',
  name: 'User',
};

async function makeVariants(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (let i = 0; i < variantCount; i++) {
    const file = path.join(dir, `variant-${String(i).padStart(2, '0')}.jpg`);
    await sharp(variantSource)
      .resize({ width: 3000 - 16 * i })
      .keepMetadata()
      .jpeg({ quality: 85 })
      .toFile(file);
    files.push(file);
  }
  return files;
}

/** Jobs running in a process now, per its metrics, by queue. */
async function running(metrics: string, queue?: string): Promise<number> {
  const page = await (await fetch(metrics)).text();
  return metricValue(page, 'pixelunion_jobs_running', queue === undefined ? {} : { queue });
}

describe.skipIf(!services)('two api processes and two workers on PostgreSQL, Redis and S3', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(() => runCleanup(cleanup));

  it('spreads uploads and a Takeout import over both api processes; a worker killed with SIGKILL mid-job loses nothing and doubles nothing', async () => {
    const work = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-scale-out-'));
    cleanup.push(() => fsp.rm(work, { recursive: true, force: true }));
    const database = await freshPostgresDatabase();
    cleanup.push(() => database.drop());
    const s3 = await startLocalS3();
    cleanup.push(() => s3.stop());
    const prefix = `pixelunion-scale-out-${process.pid}-${randomBytes(4).toString('hex')}`;
    cleanup.push(() => deleteQueueKeys(redisUrl, prefix));
    const processes: ServerProcess[] = [];
    cleanup.push(() => Promise.all(processes.map((server) => server.stop())));
    const handle = openDatabase({ databaseUrl: database.url, sqlitePath: '' });
    cleanup.push(() => handle.close());
    const db = handle.db;
    // The bucket, read as the server reads it.
    const store = new S3BlobStore(s3.config(), {
      location: s3.bucket,
      tmpDir: path.join(work, 'bucket-tmp'),
    });
    cleanup.push(() => {
      store.close();
      return Promise.resolve();
    });

    // One database, one Redis prefix, one bucket; each process a data folder of its own, as
    // containers on different machines would have.
    const start = async (role: 'api' | 'worker') => {
      const dataDir = await fsp.mkdtemp(path.join(work, `${role}-`));
      const server = await startServerProcess({
        DATABASE_URL: database.url,
        REDIS_URL: redisUrl,
        PIXELUNION_QUEUE_PREFIX: prefix,
        ...s3.env(),
        PIXELUNION_DATA_RESIDENCY: 'off',
        PIXELUNION_DATA_DIR: dataDir,
        PIXELUNION_ROLE: role,
        PIXELUNION_METRICS_PORT: '0',
        PIXELUNION_LOG_LEVEL: 'info',
        PIXELUNION_SHUTDOWN_SECONDS: '10',
      });
      processes.push(server);
      return server;
    };
    // The first process migrates the new database; the others then start together.
    const api1 = await start('api');
    const [api2, worker1, worker2, variants, zips] = await Promise.all([
      start('api'),
      start('worker'),
      start('worker'),
      makeVariants(work),
      Promise.all(
        takeoutParts.map((tree, i) =>
          zipTree(takeoutTree(tree), path.join(work, `takeout-00${i + 1}.zip`)),
        ),
      ),
    ]);
    const apis = [api1.url, api2.url];

    const admin = await signUp(api1.url, adminCredentials);
    const user = await addUser(api2.url, admin, userCredentials);
    const userId = (
      await db
        .selectFrom('users')
        .select('id')
        .where('email', '=', userCredentials.email)
        .executeTakeFirstOrThrow()
    ).id;

    // Photos and videos, alternating between the api processes: the workers' backlog.
    const uploaded: string[] = [];
    const createdOn = new Map(apis.map((url) => [url, 0]));
    const created = (url: string) => createdOn.set(url, (createdOn.get(url) ?? 0) + 1);
    for (const [i, file] of [...variants, ...corpusFiles].entries()) {
      const url = apis[i % 2] ?? '';
      uploaded.push(await uploadMultipart(url, user, file));
      created(url);
    }
    const tus = await tusUpload(apis, user, tusFile, { chunks: 4 });
    expect(tus.assetStatus).toBe('created');
    uploaded.push(tus.assetId);
    created(tus.finishedAt);

    // A Takeout import: created on api1, its parts sent to api1, api2, api1, started on api2.
    const takeout = await json<TakeoutProgress>(`${api1.url}/api/takeout/imports`, {
      method: 'POST',
      headers: user,
    });
    expect(takeout.status).toBe(201);
    const importId = takeout.body.id;
    for (const [i, zip] of zips.entries()) {
      const part = await tusUpload([apis[i % 2] ?? ''], user, zip, {
        meta: { takeoutImportId: importId },
      });
      expect(part.assetStatus).toBe('takeout-part');
    }
    const started = await json(`${api2.url}/api/takeout/imports/${importId}/start`, {
      method: 'POST',
      headers: user,
    });
    expect(started.status).toBe(200);

    // The worker that runs the import is killed half-way through its importing phase (some
    // files imported, others not), with whatever photo jobs it is running at that moment.
    const progress = async () =>
      (
        await json<TakeoutProgress>(`${api1.url}/api/takeout/imports/${importId}`, {
          headers: user,
        })
      ).body;
    const workers = await Promise.all(
      [worker1, worker2].map(async (server) => ({ server, metrics: await metricsUrl(server) })),
    );
    let victim: (typeof workers)[number] | undefined;
    await until(
      async () => {
        const now = await progress();
        if (now.status !== 'importing' || now.counts.imported < 2) return false;
        for (const worker of workers) {
          if ((await running(worker.metrics, 'takeout-import')) > 0) victim = worker;
        }
        return victim !== undefined;
      },
      { timeoutMs: 90_000, what: 'a worker half-way through the Takeout import' },
    );
    await victim?.server.kill();
    expect(victim?.server.child.signalCode).toBe('SIGKILL');
    const survivor = workers.find((worker) => worker !== victim);
    const atKill = await progress();
    expect(atKill.counts.pending).toBeGreaterThan(0);

    // The survivor takes the dead worker's jobs over once their locks expire.
    const counts = async () =>
      (await json<QueueCounts[]>(`${api2.url}/api/jobs`, { headers: admin })).body;
    await until(
      async () =>
        ['done', 'failed', 'cancelled'].includes((await progress()).status) &&
        (await counts()).every((c) => c.waiting === 0 && c.active === 0),
      {
        timeoutMs: 120_000,
        everyMs: 250,
        what: async () =>
          `the import and every job to finish: ${JSON.stringify({
            import: await progress(),
            queues: await counts(),
            unfinished: await db
              .selectFrom('jobs')
              .select(['id', 'queue', 'payload', 'status', 'attempts', 'relayed_at', 'last_error'])
              .where('status', '!=', 'completed')
              .execute(),
            notReady: await Promise.all(
              (
                await db
                  .selectFrom('assets')
                  .select(['id', 'owner_id', 'status', 'error'])
                  .where('status', '!=', 'ready')
                  .execute()
              ).map(async (asset) => ({
                ...asset,
                originalBytes: await store.size(blobKeys.original(asset.owner_id, asset.id)),
              })),
            ),
          })}`,
      },
    );
    const finished = await progress();
    expect(finished.status, JSON.stringify(finished)).toBe('done');

    // Nothing failed for good, and nothing failed on the way either.
    for (const queue of queueNames) {
      const failed = await json<FailedJob[]>(`${api1.url}/api/jobs/failed?queue=${queue}`, {
        headers: admin,
      });
      expect(failed, queue).toEqual({ status: 200, body: [] });
    }
    expect(survivor?.server.output()).not.toContain('"msg":"job failed"');

    // The Takeout report: one line per media file, each with its outcome, none failed.
    const report = await json<ImportReport>(`${api2.url}/api/takeout/imports/${importId}/report`, {
      headers: user,
    });
    expect(report.status).toBe(200);
    expect(report.body.summary).toMatchObject({
      ...takeoutSummary,
      failed: 0,
      refused: 0,
      pending: 0,
    });
    const media = report.body.files.filter((line) => line.kind === 'media');
    expect(media).toHaveLength(takeoutSummary.media);
    expect(new Set(media.map((line) => line.path)).size).toBe(media.length);
    const imported = media.filter((line) => line.outcome === 'imported');
    const importedIds = imported.map((line) => line.assetId ?? '');
    expect(new Set(importedIds).size).toBe(takeoutSummary.imported);

    // Albums: two, each photo in them once.
    const albums = await json<unknown[]>(`${api1.url}/api/albums`, { headers: user });
    expect(albums.body).toHaveLength(2);
    const members = new Map<string, string[]>();
    for (const album of report.body.albums) {
      const detail = await json<{ assetIds: string[] }>(
        `${api2.url}/api/albums/${album.albumId ?? ''}`,
        { headers: user },
      );
      members.set(album.title, detail.body.assetIds);
    }
    expect(members.get('Album test 6/10/23')).toHaveLength(8);
    expect(new Set(members.get('Album test 6/10/23')).size).toBe(8);
    expect(members.get('Sans titre(9)')).toHaveLength(1);

    // One asset per distinct file: nothing lost, nothing doubled.
    const assets = await db
      .selectFrom('assets')
      .select(['id', 'checksum', 'status', 'has_thumbnail', 'motion_file_size'])
      .where('owner_id', '=', userId)
      .execute();
    const expectedIds = [...uploaded, ...importedIds].sort();
    expect(new Set(expectedIds).size).toBe(
      variantCount + corpusFiles.length + 1 + takeoutSummary.imported,
    );
    expect(assets.map((a) => a.id).sort()).toEqual(expectedIds);
    expect(new Set(assets.map((a) => a.checksum)).size).toBe(assets.length);
    expect(assets.filter((a) => a.status !== 'ready' || a.has_thumbnail !== 1)).toEqual([]);

    // Every asset's thumbnail and preview, through either api process, is an image.
    for (const [i, asset] of assets.entries()) {
      for (const [kind, format] of [
        ['thumbnail', 'webp'],
        ['preview', 'jpeg'],
      ] as const) {
        const response = await fetch(`${apis[i % 2] ?? ''}/api/assets/${asset.id}/${kind}`, {
          headers: user,
        });
        expect(response.status, `${kind} of ${asset.id}`).toBe(200);
        expect(response.headers.get('content-type')).toBe(`image/${format}`);
        const image = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
        expect(image.format).toBe(format);
        expect(image.width).toBeGreaterThan(0);
      }
    }

    // Exactly once. The outbox rows: every job done, one metadata and one thumbnails job per
    // asset (the metadata job queues the thumbnails job as its last step, so a metadata job
    // whose work ran twice to its end leaves a second one), one import job, taken over.
    const jobs = await db
      .selectFrom('jobs')
      .select(['queue', 'payload', 'status', 'attempts'])
      .execute();
    expect(jobs.filter((job) => job.status !== 'completed')).toEqual([]);
    const payloadsOf = (queue: string) =>
      jobs.filter((job) => job.queue === queue).map((job) => job.payload);
    const perAsset = expectedIds.map((id) => JSON.stringify({ assetId: id }));
    expect(payloadsOf('metadata').sort()).toEqual(perAsset);
    expect(payloadsOf('thumbnails').sort()).toEqual(perAsset);
    const importJobs = jobs.filter((job) => job.queue === 'takeout-import');
    expect(importJobs).toEqual([
      {
        queue: 'takeout-import',
        payload: JSON.stringify({ importId }),
        status: 'completed',
        // Begun by the killed worker, begun again and finished by the survivor.
        attempts: 2,
      },
    ]);
    expect(jobs).toHaveLength(2 * expectedIds.length + 1);
    // BullMQ's own record agrees: each job completed once, none failed.
    const expectedCompleted: Record<string, number> = {
      metadata: expectedIds.length,
      thumbnails: expectedIds.length,
      'takeout-import': 1,
    };
    for (const row of await counts()) {
      expect(row, row.queue).toEqual({
        queue: row.queue,
        waiting: 0,
        active: 0,
        completed: expectedCompleted[row.queue] ?? 0,
        failed: 0,
      });
    }
    // The survivor's own counter: it finished the import once.
    const survivorMetrics = await (await fetch(survivor?.metrics ?? '')).text();
    expect(
      metricValue(survivorMetrics, 'pixelunion_job_duration_seconds_count', {
        queue: 'takeout-import',
        outcome: 'completed',
      }),
    ).toBe(1);

    // Both api processes took uploads, and counted each once.
    const apiPages = await Promise.all(
      [api1, api2].map(async (server) => (await fetch(await metricsUrl(server))).text()),
    );
    const uploads = (outcome: string) =>
      apiPages.map((page) => metricValue(page, 'pixelunion_uploads_total', { outcome }));
    expect(uploads('created')).toEqual(apis.map((url) => createdOn.get(url)));
    expect(uploads('takeout-part')).toEqual([2, 1]);

    // The bucket holds each asset's files once, and nothing else: no chunk of an upload, no
    // Takeout part, no file of an asset that does not exist.
    const keys: string[] = [];
    for await (const key of store.list('')) keys.push(key);
    const expectedKeys = assets.flatMap((asset) => [
      blobKeys.original(userId, asset.id),
      blobKeys.thumbnail(userId, asset.id),
      blobKeys.preview(userId, asset.id),
      ...(asset.motion_file_size === null ? [] : [blobKeys.motion(userId, asset.id)]),
    ]);
    expect(keys.sort()).toEqual(expectedKeys.sort());
  }, 240_000);
});
