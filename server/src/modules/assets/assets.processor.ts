import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { AssetRow, AssetUpdate } from '../../db/db.types.js';
import type { GiveUpHandler, JobHandlers, JobQueue } from '../../jobs/job-queue.js';
import {
  extractMetadata,
  generateThumbnails,
  MediaUnreadableError,
  sniffFile,
  type EmbeddedMotion,
  type ExtractedMetadata,
  type MediaProbe,
} from '../../media/index.js';
import { blobKeys, type BlobStore } from '../../storage/blob-store.js';
import { bucketOf, localDateTimeOf } from './asset-dates.js';
import type { AssetsRepo } from './assets.repo.js';

export const probeOf = (a: AssetRow): MediaProbe => ({
  type: a.type,
  format: a.format,
  mimeType: a.mime_type,
});

/**
 * The asset columns that extracted metadata fills; dates only when the file had a better one.
 * An asset whose date, place and description an import gave as final (`keep_imported_facts`:
 * a PixelUnion export) gets only the camera fields and dimensions.
 */
export function metadataChanges(asset: AssetRow, m: ExtractedMetadata): AssetUpdate {
  const keep = asset.keep_imported_facts === 1;
  const keepPlace = keep || asset.location_source === 'takeout-json';
  const changes: AssetUpdate = {
    ...(keepPlace
      ? {}
      : {
          latitude: m.latitude,
          longitude: m.longitude,
          altitude: m.altitude,
          location_source: m.latitude === null ? null : 'exif',
        }),
    width: m.width,
    height: m.height,
    orientation: m.orientation,
    make: m.make,
    model: m.model,
    lens_model: m.lensModel,
    exposure_time: m.exposureTime,
    f_number: m.fNumber,
    focal_length: m.focalLength,
    iso: m.iso,
    duration_seconds: m.durationSeconds,
    description: keep ? asset.description : (asset.description ?? m.description),
  };
  if (keep) return changes;
  if (asset.date_source === 'takeout-json') {
    Object.assign(changes, localTimeOfImportedInstant(asset.taken_at, m));
  } else if (m.takenAt && asset.date_source !== 'user') {
    const local = m.localDateTime ?? localDateTimeOf(m.takenAt, m.utcOffsetMinutes);
    Object.assign(changes, {
      taken_at: m.takenAt.getTime(),
      local_date_time: local,
      utc_offset_minutes: m.utcOffsetMinutes,
      date_source: m.dateSource,
      bucket: bucketOf(local),
    });
  }
  return changes;
}

const fromCamera = new Set(['exif', 'quicktime', 'xmp']);
const quarterHour = 15;

/**
 * An import gave the capture instant (Google's sidecar): the camera's clock only tells the local
 * time there. With an EXIF offset, the instant is shown at that offset; with a wall clock alone,
 * the offset is its distance from the instant, when that is a plausible time zone.
 */
function localTimeOfImportedInstant(instant: number, m: ExtractedMetadata): AssetUpdate {
  if (!m.takenAt || !fromCamera.has(m.dateSource)) return {};
  let offset = m.utcOffsetMinutes;
  let local = localDateTimeOf(new Date(instant), offset);
  if (offset === null) {
    const minutes = (m.takenAt.getTime() - instant) / 60_000;
    offset = Math.round(minutes / quarterHour) * quarterHour;
    if (Math.abs(offset) > 14 * 60) return {};
    // The camera's own wall clock, as it wrote it (the instant may differ by seconds).
    local = m.localDateTime ?? localDateTimeOf(new Date(instant), offset);
  }
  return { local_date_time: local, utc_offset_minutes: offset, bucket: bucketOf(local) };
}

/** The background steps of an upload: metadata, then thumbnails; and file removal after deletes. */
export class AssetsProcessor {
  constructor(
    private readonly repo: AssetsRepo,
    private readonly blobs: BlobStore,
    private readonly jobs: JobQueue,
    private readonly tmpDir: string,
    private readonly log: FastifyBaseLogger,
  ) {}

  handlers(): Pick<JobHandlers, 'metadata' | 'thumbnails' | 'delete-files'> {
    return {
      metadata: ({ assetId }) => this.extract(assetId),
      thumbnails: ({ assetId }) => this.thumbnails(assetId),
      'delete-files': async ({ keys }) => {
        for (const key of keys) await this.blobs.delete(key);
      },
    };
  }

  /** After the last attempt: an asset is never left 'processing' for ever. */
  readonly gaveUp: GiveUpHandler = async (queue, payload, error) => {
    if (!('assetId' in payload)) return;
    if (queue === 'metadata') {
      await this.repo.update([payload.assetId], { error: `metadata: ${error}` });
      await this.jobs.enqueue('thumbnails', { assetId: payload.assetId });
    } else if (queue === 'thumbnails') {
      await this.repo.update([payload.assetId], {
        status: 'unreadable',
        error: `thumbnails: ${error}`,
      });
    }
  };

  private async extract(assetId: string): Promise<void> {
    const asset = await this.repo.findById(assetId);
    if (!asset) return;
    const file = await this.blobs.localFile(blobKeys.original(asset.owner_id, asset.id));
    try {
      const metadata = await extractMetadata(file.path, probeOf(asset), {
        fileName: asset.original_file_name,
        fileCreatedAt: asset.file_created_at === null ? undefined : new Date(asset.file_created_at),
        fileModifiedAt:
          asset.file_modified_at === null ? undefined : new Date(asset.file_modified_at),
      });
      await this.repo.update([asset.id], metadataChanges(asset, metadata));
      if (metadata.embeddedMotion && asset.motion_file_size === null) {
        await this.attachEmbeddedMotion(asset, file.path, metadata.embeddedMotion);
      }
    } catch (error) {
      if (!(error instanceof MediaUnreadableError)) throw error;
      this.log.info({ assetId, reason: error.reason }, 'metadata unreadable');
      await this.repo.update([asset.id], { error: `metadata: ${error.reason}` });
    } finally {
      await file.release();
    }
    await this.jobs.enqueue('thumbnails', { assetId });
  }

  /**
   * Copies the video of a Google/Android motion photo out of its original (which stays as it
   * is) into the asset's motion part; bytes that turn out not to be a video are left alone.
   */
  private async attachEmbeddedMotion(
    asset: AssetRow,
    originalPath: string,
    { start, length }: EmbeddedMotion,
  ): Promise<void> {
    await fsp.mkdir(this.tmpDir, { recursive: true });
    const tmp = path.join(this.tmpDir, `${randomUUID()}.motion`);
    try {
      const end = start + length - 1; // inclusive
      await pipeline(createReadStream(originalPath, { start, end }), createWriteStream(tmp));
      const { size } = await fsp.stat(tmp);
      const probe = size === length ? await sniffFile(tmp) : null;
      if (probe?.type !== 'video') {
        this.log.info({ assetId: asset.id, start, length }, 'embedded motion is not a video');
        return;
      }
      // A motion part attached meanwhile (a separate video file) wins.
      const current = await this.repo.findById(asset.id);
      if (!current || current.motion_file_size !== null) return;
      await this.blobs.putFile(blobKeys.motion(asset.owner_id, asset.id), tmp);
      await this.repo.update([asset.id], {
        motion_file_size: length,
        motion_mime_type: probe.mimeType,
      });
    } finally {
      await fsp.rm(tmp, { force: true });
    }
  }

  private async thumbnails(assetId: string): Promise<void> {
    const asset = await this.repo.findById(assetId);
    if (!asset) return;
    const file = await this.blobs.localFile(blobKeys.original(asset.owner_id, asset.id));
    await fsp.mkdir(this.tmpDir, { recursive: true });
    const out = {
      thumbnailPath: path.join(this.tmpDir, `${randomUUID()}.webp`),
      previewPath: path.join(this.tmpDir, `${randomUUID()}.jpg`),
    };
    try {
      const result = await generateThumbnails(file.path, probeOf(asset), out);
      await this.blobs.putFile(blobKeys.thumbnail(asset.owner_id, asset.id), out.thumbnailPath);
      await this.blobs.putFile(blobKeys.preview(asset.owner_id, asset.id), out.previewPath);
      const dimensions = asset.width === null ? { width: result.width, height: result.height } : {};
      await this.repo.update([asset.id], {
        ...dimensions,
        thumbhash: result.thumbhash,
        has_thumbnail: 1,
        status: 'ready',
      });
    } catch (error) {
      if (!(error instanceof MediaUnreadableError)) throw error;
      this.log.info({ assetId, reason: error.reason }, 'pixels unreadable');
      await this.repo.update([asset.id], { status: 'unreadable', error: error.reason });
    } finally {
      await file.release();
      await fsp.rm(out.thumbnailPath, { force: true });
      await fsp.rm(out.previewPath, { force: true });
    }
  }
}
