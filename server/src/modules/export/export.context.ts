import path from 'node:path';
import type { AccessService } from '../../access/access.service.js';
import type { Db } from '../../db/database.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { ExportBuilder } from './export.builder.js';
import { ExportIndexRepo } from './export.index.repo.js';
import { ExportLibraryRepo } from './export.library.repo.js';
import { ExportRepo } from './export.repo.js';
import { ExportService } from './export.service.js';

export type { ExportService };

/** Parts fit a FAT32 drive (files below 4 GiB) and need no ZIP64 unless one file is that big. */
export const defaultPartSize = 4_000_000_000;
/** Days an export is kept once made. */
export const exportKeepDays = 7;

/** The export service with its repositories and job, as the application context builds it. */
export function createExports(
  db: Db,
  access: AccessService,
  jobs: JobQueue,
  blobs: BlobStore,
  dataDir: string,
): ExportService {
  const repo = new ExportRepo(db);
  const builder = new ExportBuilder(
    repo,
    new ExportLibraryRepo(db),
    new ExportIndexRepo(db),
    blobs,
    {
      tmpDir: path.join(dataDir, 'tmp', 'export'),
      keepDays: exportKeepDays,
    },
  );
  return new ExportService(repo, access, jobs, blobs, builder, {
    partSize: defaultPartSize,
    keepDays: exportKeepDays,
  });
}
