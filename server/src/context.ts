import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';
import { migrateToLatest, openDatabase, type DatabaseHandle } from './db/database.js';
import { AccessRepo } from './access/access.repo.js';
import { AccessService } from './access/access.service.js';
import { openJobQueue } from './jobs/job-queues.js';
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
import { UploadsRepo } from './modules/uploads/uploads.repo.js';
import { UploadChunkBytes } from './modules/uploads/uploads.chunk-bytes.js';
import { UploadFileBytes } from './modules/uploads/uploads.file-bytes.js';
import { UploadsService } from './modules/uploads/uploads.service.js';
import { UsersRepo } from './modules/users/users.repo.js';
import { UsersService } from './modules/users/users.service.js';
import type { BlobStore } from './storage/blob-store.js';
import { openBlobStore } from './storage/blob-stores.js';
import { AlbumsRepo } from './modules/albums/albums.repo.js';
import { AlbumsService } from './modules/albums/albums.service.js';
import { runPeriodically } from './jobs/periodic.js';
import { PeriodicRepo } from './jobs/periodic.repo.js';
import { timeJobs } from './http/metrics.js';
import { dutiesOf } from './roles.js';
import { FullSizeRenditions } from './modules/assets/assets.fullsize.js';
import { StrippedOriginals } from './modules/assets/assets.stripped.js';
import { SharesRepo } from './modules/shares/shares.repo.js';
import { SharesService } from './modules/shares/shares.service.js';
import { ShareVisitsService } from './modules/shares/shares.visits.js';
import { TakeoutRepo } from './modules/takeout/takeout.repo.js';
import { TakeoutRunner } from './modules/takeout/takeout.runner.js';
import { TakeoutService } from './modules/takeout/takeout.service.js';
import { TakeoutParts } from './modules/takeout/takeout.parts.js';
import { ErasureRepo } from './modules/erasure/erasure.repo.js';
import { ErasureService } from './modules/erasure/erasure.service.js';
import { createExports, type ExportService } from './modules/export/export.context.js';

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
  uploads: UploadsService;
  albums: AlbumsService;
  shares: SharesService;
  shareVisits: ShareVisitsService;
  takeout: TakeoutService;
  erasure: ErasureService;
  exports: ExportService;
  /**
   * Starts what this process's role (PIXELUNION_ROLE, roles.ts) runs: api, the recovery of
   * interrupted uploads; worker, the job workers and periodic tasks; all, both.
   */
  startWorkers(): Promise<void>;
  close(): Promise<void>;
}

export async function createContext(config: Config, log: FastifyBaseLogger): Promise<AppContext> {
  const database = openDatabase(config);
  await migrateToLatest(database.db);
  const { db } = database;
  const blobs = await openBlobStore(config);
  const uploadTmpDir = path.join(config.dataDir, 'tmp', 'uploads');
  const jobs = await openJobQueue(config, new JobsRepo(db, database.dialect), log);
  const access = new AccessService(new AccessRepo(db));
  const usersRepo = new UsersRepo(db);
  const users = new UsersService(usersRepo);
  const auth = new AuthService(new AuthRepo(db), usersRepo, users, config);
  const assetsRepo = new AssetsRepo(db);
  const assets = new AssetsService(assetsRepo, access, users, blobs, jobs, {
    tmpDir: uploadTmpDir,
    maxUploadBytes: config.maxUploadBytes,
    fullSize: new FullSizeRenditions(blobs, path.join(config.dataDir, 'tmp', 'derived')),
    stripped: new StrippedOriginals(blobs, path.join(config.dataDir, 'tmp', 'derived')),
  });
  const processor = new AssetsProcessor(
    assetsRepo,
    blobs,
    jobs,
    path.join(config.dataDir, 'tmp', 'derived'),
    log,
  );
  const timeline = new TimelineService(new TimelineRepo(db, database.dialect));
  const albums = new AlbumsService(new AlbumsRepo(db), access, users);
  const sharesRepo = new SharesRepo(db);
  const shares = new SharesService(sharesRepo, access, config);
  const shareVisits = new ShareVisitsService(sharesRepo, access, assets, albums, auth, config);

  const takeoutRepo = new TakeoutRepo(db, database.dialect);
  const takeoutParts = new TakeoutParts(blobs);
  const takeoutRunner = new TakeoutRunner(takeoutRepo, assets, albums, takeoutParts, {
    tmpDir: path.join(config.dataDir, 'tmp', 'takeout'),
  });
  const takeout = new TakeoutService(takeoutRepo, access, jobs, takeoutRunner, takeoutParts);

  const uploads = new UploadsService(
    new UploadsRepo(db),
    users,
    assets,
    takeout,
    // On object storage, any api process may take an upload's next request: its bytes go there.
    config.s3 === null
      ? new UploadFileBytes(path.join(config.dataDir, 'tmp', 'resumable'))
      : new UploadChunkBytes(blobs, path.join(config.dataDir, 'tmp', 'blobs')),
    { maxUploadBytes: config.maxUploadBytes },
    log,
  );

  const erasure = new ErasureService(
    new ErasureRepo(db, database.dialect),
    blobs,
    auth,
    config,
    { dataDir: config.dataDir, libraryDir: path.join(config.dataDir, 'library') },
    log,
  );
  auth.onSignIn = (userId) => erasure.onSignIn(userId);
  const exports = createExports(db, access, jobs, blobs, config.dataDir);

  let stopTrashExpiry = () => Promise.resolve();
  let stopAccountErasure = () => Promise.resolve();
  let stopLinkLogExpiry = () => Promise.resolve();
  let stopExportExpiry = () => Promise.resolve();
  let stopSessionExpiry = () => Promise.resolve();

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
    uploads,
    albums,
    shares,
    shareVisits,
    takeout,
    erasure,
    exports,
    async startWorkers() {
      const duties = dutiesOf(config.role);
      if (duties.api) await recoverInterruptedUploads(uploadTmpDir, assetsRepo, blobs, log);
      if (!duties.background) return;
      await uploads.startPurging();
      const handlers = { ...processor.handlers(), ...takeout.handlers(), ...exports.handlers() };
      await jobs.start(timeJobs(handlers), async (...args) => {
        await processor.gaveUp(...args);
        await takeout.gaveUp(...args);
        await exports.gaveUp(...args);
      });
      await takeout.resumeInterrupted();
      const schedule = new PeriodicRepo(db);
      if (config.trashDays > 0) {
        stopTrashExpiry = runPeriodically(
          'trash-expiry',
          3600_000,
          () => assets.purgeTrashedBefore(Date.now() - config.trashDays * 86_400_000),
          log,
          schedule,
        );
      }
      stopLinkLogExpiry = runPeriodically(
        'share-link-log-expiry',
        3600_000,
        async () => {
          await auth.purgeStaleAttempts();
          return shares.purgeLog(config.linkLogDays);
        },
        log,
        schedule,
      );
      stopExportExpiry = runPeriodically(
        'export-expiry',
        3600_000,
        () => exports.purgeExpired(),
        log,
        schedule,
      );
      stopSessionExpiry = runPeriodically(
        'session-expiry',
        3600_000,
        () => auth.purgeExpiredSessions(),
        log,
        schedule,
      );
      stopAccountErasure = runPeriodically(
        'account-erasure',
        3600_000,
        () => erasure.eraseDue(),
        log,
        schedule,
      );
    },
    async close() {
      await stopTrashExpiry();
      await stopAccountErasure();
      await stopSessionExpiry();
      await stopLinkLogExpiry();
      await stopExportExpiry();
      uploads.stopPurging();
      takeoutRunner.stop();
      await jobs.stop();
      await database.close();
      await closeMedia();
    },
  };
}
