import path from 'node:path';
import type { Readable } from 'node:stream';
import type {
  AccessService,
  Actor,
  LinkPass,
  ShareLinkGrant,
} from '../../access/access.service.js';
import type { AssetRow } from '../../db/db.types.js';
import { DomainError, notFound } from '../../errors.js';
import { blobKeys, type BlobStore, type ByteRange } from '../../storage/blob-store.js';
import { zipStream, type ZipEntry } from '../../storage/zip-stream.js';
import type { FullSizeRenditions } from './assets.fullsize.js';
import type { AssetsRepo } from './assets.repo.js';
import type { StrippedOriginals } from './assets.stripped.js';

export type AssetFileKind = 'original' | 'thumbnail' | 'preview' | 'fullsize' | 'motion';

/** A visitor of a share link: what the link allows, and what their cookie proves. */
export interface LinkViewer {
  link: ShareLinkGrant;
  pass: LinkPass;
  showMetadata: boolean;
}

/** Who asks for files: a signed-in user, or a share link's visitor. */
export type FileViewer = Actor | LinkViewer;

const isLink = (viewer: FileViewer): viewer is LinkViewer => 'link' in viewer;

export interface OpenedFile {
  asset: AssetRow;
  contentType: string;
  size: number;
  range?: ByteRange;
  stream: Readable;
  /** The name to offer for a download: the original's, or a neutral one without metadata. */
  downloadName: string;
}

/** Opening an asset's files and zipping originals, after the access check of the viewer. */
export class AssetFiles {
  constructor(
    private readonly repo: AssetsRepo,
    private readonly access: AccessService,
    private readonly blobs: BlobStore,
    private readonly fullSize: FullSizeRenditions,
    private readonly stripped: StrippedOriginals,
  ) {}

  private async load(
    viewer: FileViewer,
    ids: readonly string[],
    wantsOriginal: boolean,
  ): Promise<AssetRow[]> {
    if (isLink(viewer)) {
      const permission = wantsOriginal ? 'download' : 'read';
      await this.access.requireLinkAssets(viewer.link, viewer.pass, ids, permission);
    } else {
      await this.access.requireAssets(viewer, ids, 'read');
    }
    const rows = await Promise.all(ids.map((id) => this.repo.findById(id)));
    return rows.filter((row): row is AssetRow => row !== undefined);
  }

  /** The original's bytes as this viewer may have them: stripped unless metadata is shown. */
  private originalKey(viewer: FileViewer, asset: AssetRow): Promise<string> {
    return isLink(viewer) && !viewer.showMetadata
      ? this.stripped.keyFor(asset)
      : Promise.resolve(blobKeys.original(asset.owner_id, asset.id));
  }

  private downloadName(viewer: FileViewer, asset: AssetRow, index = 1): string {
    if (!isLink(viewer) || viewer.showMetadata) return asset.original_file_name;
    const ext = path
      .extname(asset.original_file_name)
      .toLowerCase()
      .replace(/[^.a-z0-9]/g, '');
    return `${asset.type === 'video' ? 'video' : 'photo'}-${String(index).padStart(3, '0')}${ext}`;
  }

  /**
   * Opens one of the asset's files, with an optional byte range. `fullsize` is the original when
   * browsers draw it, else a JPEG rendition made on first use; through a link, a video's
   * `fullsize` is the video itself, to play (its `original` is the download).
   */
  async open(
    viewer: FileViewer,
    id: string,
    kind: AssetFileKind,
    range?: (size: number) => ByteRange | undefined,
  ): Promise<OpenedFile> {
    const [asset] = await this.load(viewer, [id], kind === 'original');
    if (!asset) throw notFound('Asset');
    if ((kind === 'thumbnail' || kind === 'preview') && asset.has_thumbnail !== 1) {
      throw new DomainError(
        'NOT_READY',
        `The ${kind} of this asset is not ready${asset.status === 'unreadable' ? `: ${asset.error ?? 'unreadable'}` : ' yet'}`,
      );
    }
    if (kind === 'motion' && (asset.motion_file_size === null || isLink(viewer))) {
      // A link shows no motion part: its video would carry the metadata that links strip.
      throw notFound('The motion part of this asset');
    }
    const original = blobKeys.original(asset.owner_id, asset.id);
    let key: string;
    if (kind === 'fullsize') {
      key = isLink(viewer) && asset.type === 'video' ? original : await this.fullSize.keyFor(asset);
    } else key = blobKeys[kind](asset.owner_id, asset.id);
    const isOriginal = key === original;
    if (isOriginal) key = await this.originalKey(viewer, asset);
    const size = await this.blobs.size(key);
    if (size === null) throw notFound(`The ${kind} file`);
    const wanted = range?.(size);
    const contentType = isOriginal
      ? asset.mime_type
      : kind === 'motion'
        ? (asset.motion_mime_type ?? 'video/mp4')
        : key.endsWith('.webp')
          ? 'image/webp'
          : 'image/jpeg';
    return {
      asset,
      contentType,
      size,
      range: wanted,
      stream: this.blobs.read(key, wanted),
      downloadName: this.downloadName(viewer, asset),
    };
  }

  /** The originals of a selection as one zip, in the order asked, streamed without a copy. */
  async archive(
    viewer: FileViewer,
    ids: readonly string[],
  ): Promise<{ stream: Readable; size: Promise<number> }> {
    const rows = await this.load(viewer, ids, true);
    const entries: ZipEntry[] = [];
    for (const [index, asset] of rows.entries()) {
      const key = await this.originalKey(viewer, asset);
      const size = await this.blobs.size(key);
      if (size === null) continue;
      entries.push({
        name: this.downloadName(viewer, asset, index + 1),
        size,
        modifiedAt: new Date(asset.file_modified_at ?? asset.taken_at),
        open: () => this.blobs.read(key),
      });
    }
    return zipStream(entries);
  }
}
