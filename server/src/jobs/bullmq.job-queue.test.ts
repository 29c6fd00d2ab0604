import { createHash, randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { api, createUser, photo, uploadFixture, waitForJobs } from '../test/factories.js';
import type { TestUser } from '../test/factories.js';
import { dialects, startTestServer, type TestServer } from '../test/test-server.js';
import type { AssetView } from '../modules/assets/assets.view.js';
import { blobKeys } from '../storage/blob-store.js';
import { BullMqJobQueue, type BullMqOptions } from './bullmq.job-queue.js';
import { deleteQueueKeys } from './bullmq.redis.js';
import { contractDatabase, describeJobQueueContract } from './job-queue.contract.js';
import { openJobQueue } from './job-queues.js';
import { loadConfig } from '../config.js';
import { queueNames, type JobHandlers, type QueueName } from './job-queue.js';
import { JobsRepo } from './jobs.repo.js';

const log = pino({ level: 'silent' });
const redisUrl = process.env.REDIS_URL ?? '';
async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(50);
  }
}
const everyQueue = (n: number) =>
  Object.fromEntries(queueNames.map((queue) => [queue, n])) as Record<QueueName, number>;

describe.skipIf(!redisUrl)('the BullMQ job queue', () => {
  for (const dialect of dialects) {
    describeJobQueueContract(`BullMQ with its outbox on ${dialect}`, async () => {
      const database = await contractDatabase(dialect);
      const prefix = `pixelunion-test-${process.pid}-${randomUUID().slice(0, 8)}`;
      return {
        db: database.shared.db,
        open() {
          const handle = database.handleForProcess();
          const queue = new BullMqJobQueue(
            new JobsRepo(handle.db, handle.dialect),
            {
              redisUrl,
              prefix,
              concurrency: everyQueue(2),
              backoffMs: 500,
              // Short locks so that a killed process's job is taken over within seconds; long
              // enough that a busy test machine does not take a living worker's job away.
              lockDurationMs: 4000,
              stalledIntervalMs: 1000,
              relayPollMs: 200,
              // A restart releases every held job (one process, as in the embedded queue).
              heldGraceMs: 0,
            },
            log,
          );
          return Promise.resolve({ queue, kill: () => queue.kill() });
        },
        takesOverWhileRunning: true,
        backoffMs: [500, 1000],
        async close() {
          await deleteQueueKeys(redisUrl, prefix);
          await database.close();
        },
      };
    });
  }

  it('is the queue when REDIS_URL is set', async () => {
    const database = await contractDatabase('sqlite');
    try {
      const config = loadConfig({
        REDIS_URL: redisUrl,
        PIXELUNION_QUEUE_PREFIX: 'pixelunion-test',
      });
      const queue = await openJobQueue(config, new JobsRepo(database.shared.db, 'sqlite'), log);
      expect(queue).toBeInstanceOf(BullMqJobQueue);
      await queue.stop();
    } finally {
      await database.close();
    }
  });

  describe.each(dialects)('the outbox checked against Redis, on %s', (dialect) => {
    let database: Awaited<ReturnType<typeof contractDatabase>>;
    let prefix: string;
    let opened: BullMqJobQueue[];

    beforeEach(async () => {
      database = await contractDatabase(dialect);
      prefix = `pixelunion-test-${process.pid}-${randomUUID().slice(0, 8)}`;
      opened = [];
    });
    afterEach(async () => {
      for (const queue of opened) await queue.kill();
      await deleteQueueKeys(redisUrl, prefix);
      await database.close();
    });

    const open = (options: Partial<BullMqOptions> = {}) => {
      const handle = database.handleForProcess();
      const queue = new BullMqJobQueue(
        new JobsRepo(handle.db, handle.dialect),
        { redisUrl, prefix, concurrency: everyQueue(1), recheckAfterMs: 0, ...options },
        log,
      );
      opened.push(queue);
      return queue;
    };

    const handlersFor = (metadata: JobHandlers['metadata']): JobHandlers => ({
      metadata,
      thumbnails: () => Promise.resolve(),
      'delete-files': () => Promise.resolve(),
      'takeout-import': () => Promise.resolve(),
      export: () => Promise.resolve(),
    });

    it('hands jobs over again when Redis has lost them', async () => {
      const producer = open();
      await producer.enqueue('metadata', { assetId: 'lost' });
      await until(async () => {
        const row = await database.shared.db
          .selectFrom('jobs')
          .select('relayed_at')
          .executeTakeFirstOrThrow();
        return row.relayed_at !== null;
      });
      await producer.stop();
      // Redis restarted without persistence: every key is gone, the rows are not.
      await deleteQueueKeys(redisUrl, prefix);
      const seen: string[] = [];
      await open().start(handlersFor(({ assetId }) => Promise.resolve(void seen.push(assetId))));
      await until(() => Promise.resolve(seen.includes('lost')));
      expect(seen).toEqual(['lost']);
    });

    it('gives up, once, a job whose workers keep dying', async () => {
      const options = { lockDurationMs: 2000, stalledIntervalMs: 500, maxStalledCount: 0 };
      const first = open(options);
      let started = false;
      await first.start(
        handlersFor(async () => {
          started = true;
          await new Promise<void>(() => undefined);
        }),
      );
      await first.enqueue('metadata', { assetId: 'fatal' });
      await until(() => Promise.resolve(started));
      await first.kill();
      const gaveUp: string[] = [];
      const second = open({ ...options, maintenanceMs: 300 });
      await second.start(
        handlersFor(() => Promise.resolve()),
        (_queue, payload, error) =>
          Promise.resolve(void gaveUp.push(`${JSON.stringify(payload)} ${error}`)),
      );
      await until(() => Promise.resolve(gaveUp.length > 0));
      await sleep(1000);
      expect(gaveUp).toEqual([expect.stringMatching(/^\{"assetId":"fatal"\} .*stalled/)]);
      const row = await database.shared.db
        .selectFrom('jobs')
        .select('status')
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('failed');
      expect((await second.counts()).find((c) => c.queue === 'metadata')).toMatchObject({
        waiting: 0,
        active: 0,
        failed: 1,
      });
    });
  });

  describe.each(dialects)('a server on BullMQ and %s', (dialect) => {
    let server: TestServer;
    let admin: TestUser;

    beforeAll(async () => {
      server = await startTestServer(dialect, {}, { redisUrl });
      admin = await createUser(server);
    });
    afterAll(() => server.close());

    async function blobDigests(prefixes: string[]): Promise<Record<string, string>> {
      const digests: Record<string, string> = {};
      for (const key of prefixes) {
        const hash = createHash('sha1');
        for await (const chunk of server.ctx.blobs.read(key)) hash.update(chunk as Buffer);
        digests[key] = hash.digest('hex');
      }
      return digests;
    }

    it('reads metadata and makes thumbnails of an upload', async () => {
      const { status, body } = await uploadFixture(
        server,
        admin,
        photo('exif-samples/jpg/gps/DSCN0010.jpg'),
      );
      expect(status).toBe(201);
      await waitForJobs(server);
      const asset = await api<AssetView>(server, 'GET', `/api/assets/${body.id}`, {
        token: admin.token,
      });
      expect(asset.body).toMatchObject({
        status: 'ready',
        make: 'NIKON',
        model: 'COOLPIX P6000',
        hasThumbnail: true,
        localDateTime: '2008-10-22T16:28:39',
      });
      const thumb = await fetch(`${server.url}/api/assets/${body.id}/thumbnail`, {
        headers: admin.headers,
      });
      expect(thumb.status).toBe(200);
      expect(thumb.headers.get('content-type')).toBe('image/webp');
      const counts = await api<{ queue: string; completed: number; failed: number }[]>(
        server,
        'GET',
        '/api/jobs',
        { token: admin.token },
      );
      expect(counts.body.find((c) => c.queue === 'metadata')).toMatchObject({ failed: 0 });
      expect(counts.body.find((c) => c.queue === 'thumbnails')?.completed).toBeGreaterThan(0);
    });

    it('changes nothing more when metadata, thumbnails and file deletion run twice', async () => {
      const { body } = await uploadFixture(server, admin, photo('exif-samples/jpg/Canon_40D.jpg'));
      await waitForJobs(server);
      const keys = [
        blobKeys.original(admin.id, body.id),
        blobKeys.thumbnail(admin.id, body.id),
        blobKeys.preview(admin.id, body.id),
      ];
      const row = () =>
        server.ctx.database.db
          .selectFrom('assets')
          .selectAll()
          .where('id', '=', body.id)
          .executeTakeFirstOrThrow();
      const before = { row: await row(), blobs: await blobDigests(keys) };

      const scratch = path.join(await fsp.mkdtemp(path.join(os.tmpdir(), 'pu-twice-')), 'x');
      await fsp.writeFile(scratch, 'to be deleted');
      const scratchKey = `derived/${admin.id}/${randomUUID()}`;
      await server.ctx.blobs.putFile(scratchKey, scratch);
      for (let round = 0; round < 2; round++) {
        await server.ctx.jobs.enqueue('metadata', { assetId: body.id });
        await server.ctx.jobs.enqueue('thumbnails', { assetId: body.id });
        await server.ctx.jobs.enqueue('delete-files', { keys: [scratchKey] });
        await waitForJobs(server);
      }
      expect({ row: await row(), blobs: await blobDigests(keys) }).toEqual(before);
      const ran = await server.ctx.database.db
        .selectFrom('jobs')
        .select(['queue', (eb) => eb.fn.countAll<number>().as('count')])
        .where('status', '=', 'completed')
        .where('payload', 'in', [
          JSON.stringify({ assetId: body.id }),
          JSON.stringify({ keys: [scratchKey] }),
        ])
        .groupBy('queue')
        .orderBy('queue')
        .execute();
      // Metadata: the upload's and two more; thumbnails: after each metadata run and two more.
      expect(ran).toEqual([
        { queue: 'delete-files', count: 2 },
        { queue: 'metadata', count: 3 },
        { queue: 'thumbnails', count: 5 },
      ]);
      expect(await server.ctx.blobs.size(scratchKey)).toBeNull();
      const failed = await server.ctx.database.db
        .selectFrom('jobs')
        .select('id')
        .where('status', '=', 'failed')
        .execute();
      expect(failed).toEqual([]);
    });

    it('lists dead letters and retries them for administrators only', async () => {
      const user = await createUser(server, { admin });
      const listed = await api(server, 'GET', '/api/jobs/failed?queue=metadata', {
        token: user.token,
      });
      expect(listed.status).toBe(403);
      const retried = await api(server, 'POST', '/api/jobs/metadata/retry-failed', {
        token: user.token,
      });
      expect(retried.status).toBe(403);
      const empty = await api(server, 'GET', '/api/jobs/failed?queue=thumbnails', {
        token: admin.token,
      });
      expect(empty).toMatchObject({ status: 200, body: [] });
      const none = await api(server, 'POST', '/api/jobs/export/retry-failed', {
        token: admin.token,
      });
      expect(none).toMatchObject({ status: 200, body: { retried: 0 } });
      const unknown = await api(server, 'GET', '/api/jobs/failed?queue=faces', {
        token: admin.token,
      });
      expect(unknown.status).toBe(400);
    });
  });
});
