import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { EmbeddedJobQueue } from '../../jobs/embedded.job-queue.js';
import { queueNames, type JobHandlers } from '../../jobs/job-queue.js';
import { JobsRepo } from '../../jobs/jobs.repo.js';
import { runPeriodically } from '../../jobs/periodic.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { LocalBlobStore } from '../../storage/local.blob-store.js';
import { api, createUser, photo, uploadFixture, waitForJobs } from '../../test/factories.js';
import { dialects, runDialect, startTestServer, type TestServer } from '../../test/test-server.js';
import { exportKeepDays as exportKeepDaysOfExports } from '../export/export.context.js';
import { PASS_SECONDS } from '../shares/shares.visits.js';
import { importParts, takeoutTree, zipTree } from '../takeout/takeout.testing.js';
import { startLocalS3, type LocalS3 } from '../../storage/s3rver.testing.js';
import { tusCreate } from '../uploads/uploads.testing.js';
import {
  activityOf,
  assertDeclared,
  exportKeepDays,
  processingRegister,
  resumableUploadHours,
  UndeclaredProcessingError,
  visitorPassHours,
  type PeriodicTaskName,
} from './privacy.register.js';
import type { PrivacyStatement } from './privacy.service.js';
import { PrivacyService } from './privacy.service.js';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const log = pino({ level: 'silent' });

describe.each(dialects)('GET /api/privacy on %s', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(
      dialect,
      {
        PIXELUNION_TRASH_DAYS: '12',
        PIXELUNION_LINK_LOG_DAYS: '45',
        PIXELUNION_SESSION_DAYS: '9',
        PIXELUNION_STORAGE_LOCATION: 'a disk in Falkenstein, Germany',
      },
      { workers: false },
    );
  });
  afterAll(() => server.close());

  it('answers without signing in, with the register and the facts of this configuration', async () => {
    const { status, body } = await api<PrivacyStatement>(server, 'GET', '/api/privacy');
    expect(status).toBe(200);

    expect(body.register.map((a) => a.id)).toEqual(processingRegister.map((a) => a.id));
    // PostgreSQL is the scale-out configuration in a scale-out run: blobs in object storage.
    const objectStorage = server.ctx.config.s3 !== null;
    expect(body.storage).toEqual(
      objectStorage
        ? {
            kind: 'object-storage',
            location: server.ctx.blobs.location,
            provider: 'self-hosted',
            region: server.ctx.config.s3?.region,
            country: 'Germany',
            inEea: true,
          }
        : {
            kind: 'local-folder',
            location: 'a disk in Falkenstein, Germany',
            provider: null,
            region: null,
            country: null,
            inEea: null,
          },
    );
    expect(body.storage.location).toContain('a disk in Falkenstein, Germany');
    expect(body.database.kind).toBe(dialect);
    expect(body.residency.setting).toBe('eu');
    expect(body.retention).toMatchObject({ trashDays: 12, linkLogDays: 45, sessionDays: 9 });
    expect(body.logs).toMatchObject({ destination: 'output', retentionDays: null });

    const activity = (id: string) => body.register.find((a) => a.id === id);
    expect(activity('trash')?.retention).toContain('12 days');
    expect(activity('share-link-log')?.retention).toContain('45 days');
    expect(activity('sessions')?.retention).toContain('9 days');
    expect(activity('metadata')?.queues).toEqual(['metadata']);
    expect(activity('metadata')?.legalBasis.article).toBe('GDPR art. 6(1)(b)');
    expect(activity('library')?.where.map((w) => w.description)).toContain(
      objectStorage
        ? server.ctx.blobs.location
        : 'A folder on this server’s disk (a disk in Falkenstein, Germany)',
    );

    const trashExpiry = body.optionalProcessing.find((o) => o.id === 'trash-expiry');
    expect(trashExpiry?.on).toBe(true);
    expect(body.optionalProcessing.find((o) => o.id === 'strip-location')).toMatchObject({
      decidedBy: 'user',
      on: null,
      changedAt: '/account',
    });
    if (dialect === 'sqlite') {
      expect(body.outgoingConnections.destinations).toEqual([]);
      expect(body.outgoingConnections.statement).toMatch(/^None\./);
    } else {
      expect(body.outgoingConnections.destinations).toEqual([
        'The PostgreSQL database of this server',
        ...(objectStorage
          ? [`The object storage where your photos are (${server.ctx.blobs.location})`]
          : []),
      ]);
    }

    const packageJson = JSON.parse(
      await fsp.readFile(path.join(repoRoot, 'package.json'), 'utf8'),
    ) as { version: string };
    expect(body.serverVersion).toBe(packageJson.version);
  });

  it('appears in the OpenAPI document as needing no credentials', async () => {
    const { body } = await api<{
      paths: Record<string, { get?: { security?: unknown[]; tags?: string[] } }>;
    }>(server, 'GET', '/api/openapi.json');
    expect(body.paths['/api/privacy']?.get).toMatchObject({ security: [], tags: ['privacy'] });
  });
});

describe('GET /api/privacy with object storage', () => {
  let s3: LocalS3;
  let server: TestServer;
  beforeAll(async () => {
    s3 = await startLocalS3();
    server = await startTestServer(
      runDialect,
      { ...s3.env(), PIXELUNION_STORAGE_LOCATION: 'own MinIO server, Berlin, Germany' },
      { workers: false },
    );
  });
  afterAll(async () => {
    await server.close();
    await s3.stop();
  });

  it('says where the bucket is, as the server checked it at start, without bucket or keys', async () => {
    const { status, body } = await api<PrivacyStatement>(server, 'GET', '/api/privacy');
    expect(status).toBe(200);
    expect(body.storage).toMatchObject({
      kind: 'object-storage',
      provider: 'self-hosted',
      country: 'Germany',
      inEea: true,
    });
    expect(body.storage.location).toBe(server.ctx.blobs.location);
    expect(body.storage.location).toContain('Berlin, Germany');
    expect(body.residency.description).toContain('EU or EEA');
    expect(body.outgoingConnections.destinations).toEqual([
      ...(runDialect === 'postgres' ? ['The PostgreSQL database of this server'] : []),
      `The object storage where your photos are (${server.ctx.blobs.location})`,
    ]);
    const json = JSON.stringify(body);
    expect(json).not.toContain(s3.bucket);
    expect(json).not.toContain(s3.secretAccessKey);
  });
});

describe('the privacy statement follows the configuration', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-privacy-'));
  });
  afterAll(() => fsp.rm(dir, { recursive: true, force: true }));

  const statementOf = (env: Record<string, string>, blobs?: BlobStore) => {
    const config = loadConfig({ PIXELUNION_DATA_DIR: dir, ...env });
    const store = blobs ?? new LocalBlobStore(path.join(dir, 'library'), config.storageLocation);
    return new PrivacyService(
      config,
      store,
      config.databaseUrl ? 'postgres' : 'sqlite',
    ).statement();
  };

  it('says SQLite on this server by default, and the local disk', () => {
    const statement = statementOf({});
    expect(statement.database.kind).toBe('sqlite');
    expect(statement.database.description).toContain('on this server');
    expect(statement.storage.location).toBe('local disk of this server');
  });

  it('names PostgreSQL without its host, user or password', () => {
    const statement = statementOf({
      DATABASE_URL: 'postgres://alice:s3cret-pw@db.internal.example:5432/pixelunion',
    });
    expect(statement.database.kind).toBe('postgres');
    const json = JSON.stringify(statement);
    for (const secret of ['s3cret-pw', 'alice', 'db.internal.example', '5432']) {
      expect(json).not.toContain(secret);
    }
  });

  it('names object storage by provider, region and country, never its bucket or keys', () => {
    const objectStore: BlobStore = {
      location: 'S3-compatible object storage at s3.fr-par.scw.cloud (Scaleway), region fr-par',
      putFile: () => Promise.resolve(),
      read: (): Readable => {
        throw new Error('not used');
      },
      size: () => Promise.resolve(null),
      localFile: () => Promise.reject(new Error('not used')),
      delete: () => Promise.resolve(),
      list: async function* () {
        // an empty store
      },
      listWithSizes: async function* () {
        // an empty store
      },
    };
    const statement = statementOf(
      {
        PIXELUNION_S3_BUCKET: 'family-photos-bucket',
        PIXELUNION_S3_ENDPOINT: 'https://s3.fr-par.scw.cloud',
        PIXELUNION_S3_REGION: 'fr-par',
        PIXELUNION_S3_ACCESS_KEY_ID: 'AKIAEXAMPLEKEY',
        PIXELUNION_S3_SECRET_ACCESS_KEY: 'wJalrXUtnFEMIsecret',
      },
      objectStore,
    );
    expect(statement.storage).toEqual({
      kind: 'object-storage',
      location: objectStore.location,
      provider: 'Scaleway',
      region: 'fr-par',
      country: 'France',
      inEea: true,
    });
    expect(statement.residency.description).toContain('EU or EEA');
    expect(statement.outgoingConnections.destinations).toEqual([
      `The object storage where your photos are (${objectStore.location})`,
    ]);
    const json = JSON.stringify(statement);
    for (const secret of ['family-photos-bucket', 'AKIAEXAMPLEKEY', 'wJalrXUtnFEMIsecret']) {
      expect(json).not.toContain(secret);
    }
  });

  it('shows what the administrator switched off or on', () => {
    const statement = statementOf({
      PIXELUNION_TRASH_DAYS: '0',
      PIXELUNION_LOG_DIR: path.join(dir, 'logs'),
      PIXELUNION_LOG_RETENTION_DAYS: '5',
      PIXELUNION_ERASURE_GRACE_DAYS: '0',
    });
    const on = (id: string) => statement.optionalProcessing.find((o) => o.id === id)?.on;
    expect(on('trash-expiry')).toBe(false);
    expect(on('log-files')).toBe(true);
    expect(statement.logs).toMatchObject({ destination: 'files', retentionDays: 5 });
    const retention = (id: string) => statement.register.find((a) => a.id === id)?.retention;
    expect(retention('trash')).toContain('does not empty it on its own');
    expect(retention('server-log')).toContain('5 days');
    expect(retention('account')).toContain('erased at once');
  });
});

describe('the processing register guards what runs', () => {
  it('declares every job queue', () => {
    for (const queue of queueNames) expect(activityOf('job', queue), queue).toBeDefined();
  });

  it('refuses an undeclared periodic task or job queue', () => {
    expect(() => {
      assertDeclared('periodic', 'face-clustering');
    }).toThrow(UndeclaredProcessingError);
    expect(() => {
      assertDeclared('job', 'face-detection');
    }).toThrow(/not declared in the processing register/);
    expect(() => {
      assertDeclared('periodic', 'trash-expiry');
    }).not.toThrow();
  });

  it('runPeriodically does not start a task the register does not declare', async () => {
    let rounds = 0;
    const task = () => {
      rounds += 1;
      return Promise.resolve();
    };
    // What an untyped caller (or a cast) could pass: the types alone do not stop it.
    const undeclared: string = 'usage-statistics';
    expect(() => runPeriodically(undeclared as PeriodicTaskName, 3600_000, task, log)).toThrow(
      UndeclaredProcessingError,
    );
    expect(rounds).toBe(0);
    const stop = runPeriodically('share-link-log-expiry', 3600_000, task, log);
    await stop();
    expect(rounds).toBe(1);
  });

  it('the job queue does not start with a handler the register does not declare', async () => {
    const server = await startTestServer(runDialect, {}, { workers: false });
    try {
      const queue = new EmbeddedJobQueue(
        new JobsRepo(server.ctx.database.db, server.ctx.database.dialect),
        1,
        log,
      );
      const handlers = Object.fromEntries(
        [...queueNames, 'face-detection'].map((name) => [name, () => Promise.resolve()]),
      ) as unknown as JobHandlers;
      await expect(queue.start(handlers)).rejects.toThrow(/"face-detection"/);
      await queue.stop();
    } finally {
      await server.close();
    }
  });

  it('declares the retention of uploads in progress, visitor passes and exports as the code keeps them', async () => {
    expect(visitorPassHours * 3600).toBe(PASS_SECONDS);
    expect(exportKeepDays).toBe(exportKeepDaysOfExports);
    const server = await startTestServer(runDialect, {}, { workers: false });
    try {
      const user = await createUser(server);
      const created = await tusCreate(server, user, 1000, { meta: { filename: 'a.jpg' } });
      expect(created.status).toBe(201);
      const row = await server.ctx.database.db
        .selectFrom('resumable_uploads')
        .select(['created_at', 'expires_at'])
        .executeTakeFirstOrThrow();
      expect(row.expires_at - row.created_at).toBe(resumableUploadHours * 3600_000);
    } finally {
      await server.close();
    }
  });

  it('names every activity, queue and periodic task in docs/privacy.md', async () => {
    const doc = await fsp.readFile(path.join(repoRoot, 'docs', 'privacy.md'), 'utf8');
    for (const activity of processingRegister) {
      expect(doc, activity.id).toContain(`\`${activity.id}\``);
      for (const name of [...activity.queues, ...activity.periodic]) {
        expect(doc, name).toContain(`\`${name}\``);
      }
    }
  });
});

describe.each(dialects)('work that runs on %s is declared', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(() => server.close());

  it('every job queue that ran in a day of use is in the register', async () => {
    const user = await createUser(server);
    const upload = async (file: string) => {
      const { status, body } = await uploadFixture(server, user, photo(file));
      expect(status, file).toBe(201);
      return body.id;
    };
    const kept = await upload('exif-samples/jpg/Canon_40D.jpg');
    const trashed = await upload('exif-samples/jpg/Nikon_D70.jpg');
    await upload('metadata-extractor/mp4/sample_mpeg4.mp4');
    await api(server, 'POST', '/api/assets/trash', { token: user.token, body: { ids: [trashed] } });
    await waitForJobs(server);
    const emptied = await api(server, 'POST', '/api/trash/empty', { token: user.token });
    expect(emptied.status).toBe(200);
    const zip = await zipTree(takeoutTree('Takeout3'), path.join(server.dataDir, 'takeout3.zip'));
    const { progress } = await importParts(server, user, [zip]);
    expect(progress.status).toBe('done');
    const exported = await api(server, 'POST', '/api/exports', { token: user.token, body: {} });
    expect([200, 201]).toContain(exported.status);
    await waitForJobs(server);
    expect((await api(server, 'GET', `/api/assets/${kept}`, { token: user.token })).status).toBe(
      200,
    );

    const ran = await server.ctx.database.db
      .selectFrom('jobs')
      .select('queue')
      .distinct()
      .execute();
    const names = ran.map((r) => r.queue).sort();
    // The day of use ran every kind of job there is, so that this test proves something about
    // each: a new queue needs a step above that makes it run.
    expect(names).toEqual(expect.arrayContaining([...queueNames]));
    const undeclared = names.filter((name) => !activityOf('job', name));
    expect(undeclared, 'job queues that ran without a processing register entry').toEqual([]);
  });
});
