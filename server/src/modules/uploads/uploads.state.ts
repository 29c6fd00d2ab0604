import type { ResumableUploadRow } from '../../db/db.types.js';
import { DomainError } from '../../errors.js';
import type { UploadInfo } from '../assets/assets.service.js';

/** What a resumable upload is: a file for the library, or a part of a Google Takeout import. */
export type ResumableInfo = UploadInfo & { takeoutImportId?: string };

export interface UploadState {
  id: string;
  offset: number;
  length: number;
  info: ResumableInfo;
  /** Unset once the upload is finished. */
  expiresAt?: Date;
  /** The asset the finished upload became (or, for a Takeout part, the part). */
  asset?: { id: string; status: 'created' | 'duplicate' | 'takeout-part' };
}

export function offsetMismatch(row: ResumableUploadRow): DomainError {
  return new DomainError(
    'UPLOAD_OFFSET_MISMATCH',
    `Upload-Offset must be ${row.upload_offset}, the number of bytes received so far`,
    { offset: row.upload_offset },
  );
}

export function stateOf(row: ResumableUploadRow): UploadState {
  return {
    id: row.id,
    offset: row.upload_offset,
    length: row.upload_length,
    info: {
      filename: row.filename,
      fileCreatedAt: row.file_created_at === null ? undefined : new Date(row.file_created_at),
      fileModifiedAt: row.file_modified_at === null ? undefined : new Date(row.file_modified_at),
      ...(row.takeout_import_id === null ? {} : { takeoutImportId: row.takeout_import_id }),
    },
    expiresAt: row.asset_id === null ? new Date(row.expires_at) : undefined,
    asset:
      row.asset_id === null || row.asset_status === null
        ? undefined
        : { id: row.asset_id, status: row.asset_status },
  };
}
