import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';
import { migrateToLatest, openDatabase, type DatabaseHandle } from './db/database.js';
import { AccessRepo } from './access/access.repo.js';
import { AccessService } from './access/access.service.js';
import { EmbeddedJobQueue } from './jobs/embedded.job-queue.js';
import type { JobQueue } from './jobs/job-queue.js';
import { JobsRepo } from './jobs/jobs.repo.js';
import { closeMedia } from './media/index.js';
import { AssetsProcessor } from './modules/assets/assets.processor.js';
import { AssetsRepo } from './modules/assets/assets.repo.js';
import { AssetsService } from './modules/assets/assets.service.js';
import { recoverInterruptedUploads } from './modules/assets/assets.recovery.js';
import { AuthRepo } from './modules/auth/auth.repo.js';
import { AuthService } from './modules/auth/auth.service.js';
import { TimelineRepo } from './modules/timeline/timeline.repo.js';
import { TimelineService } from './modules/timeline/timeline.service.js';
import { UsersRepo } from './modules/users/users.repo.js';
import { UsersService } from './modules/users/users.service.js';
import type { BlobStore } from './storage/blob-store.js';
import { LocalBlobStore } from './storage/local.blob-store.js';

/** Everything the routes and workers use, built once from the configuration. */
export interface AppContext {
  config: Config;
  database: DatabaseHandle;
  blobs: BlobStore;
  jobs: JobQueue;
  access: AccessService;
  users: UsersService;
  auth: AuthService;
  assets: AssetsService;
  timeline: TimelineService;
  /** Starts background work: recovery of interrupted uploads, then the job workers. */
  startWorkers(): Promise<void>;
  close(): Promise<void>;
}

export async function createContext(config: Config, log: FastifyBaseLogger): Promise<AppContext> {
  const database = openDatabase(config);
  await migrateToLatest(database.db);
  const { db } = database;
  const blobs = new LocalBlobStore(path.join(config.dataDir, 'library'), config.storageLocation);
  const uploadTmpDir = path.join(config.dataDir, 'tmp', 'uploads');
  const jobs = new EmbeddedJobQueue(new JobsRepo(db, database.dialect), config.jobConcurrency, log);
  const access = new AccessService(new AccessRepo(db));
  const usersRepo = new UsersRepo(db);
  const users = new UsersService(usersRepo);
  const auth = new AuthService(new AuthRepo(db), usersRepo, users, config);
  const assetsRepo = new AssetsRepo(db);
  const assets = new AssetsService(assetsRepo, access, users, blobs, jobs, {
    tmpDir: uploadTmpDir,
    maxUploadBytes: config.maxUploadBytes,
  });
  const processor = new AssetsProcessor(
    assetsRepo,
    blobs,
    jobs,
    path.join(config.dataDir, 'tmp', 'derived'),
    log,
  );
  const timeline = new TimelineService(new TimelineRepo(db, database.dialect));

  return {
    config,
    database,
    blobs,
    jobs,
    access,
    users,
    auth,
    assets,
    timeline,
    async startWorkers() {
      await recoverInterruptedUploads(uploadTmpDir, assetsRepo, blobs, log);
      await auth.purgeExpiredSessions();
      await jobs.start(processor.handlers(), processor.gaveUp);
    },
    async close() {
      await jobs.stop();
      await database.close();
      await closeMedia();
    },
  };
}
