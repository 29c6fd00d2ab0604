import { randomUUID } from 'node:crypto';
import type { AccessService, Actor } from '../../access/access.service.js';
import { DomainError, notFound } from '../../errors.js';
import type { AlbumSummaryRow, AlbumsRepo } from './albums.repo.js';

export interface AlbumSummary {
  id: string;
  ownerId: string;
  title: string;
  description: string | null;
  /** The chosen cover, or the newest asset when none is chosen (or it left the album). */
  coverAssetId: string | null;
  sortOrder: 'asc' | 'desc';
  assetCount: number;
  /** Local capture times of the oldest and newest assets shown. */
  startDate: string | null;
  endDate: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AlbumDetail extends AlbumSummary {
  assetIds: string[];
}

export interface AlbumPatch {
  title?: string;
  description?: string | null;
  coverAssetId?: string | null;
  sortOrder?: 'asc' | 'desc';
}

export class AlbumsService {
  constructor(
    private readonly repo: AlbumsRepo,
    private readonly access: AccessService,
  ) {}

  async create(
    actor: Actor,
    input: { title: string; description?: string | null; assetIds?: string[] },
  ): Promise<AlbumDetail> {
    if (input.assetIds?.length) await this.access.requireAssets(actor, input.assetIds, 'read');
    const id = randomUUID();
    const now = Date.now();
    await this.repo.insert({
      id,
      owner_id: actor.userId,
      title: input.title,
      description: input.description ?? null,
      cover_asset_id: null,
      created_at: now,
      updated_at: now,
    });
    if (input.assetIds?.length) await this.repo.addAssets(id, input.assetIds, actor.userId);
    return this.get(actor, id);
  }

  async list(actor: Actor): Promise<AlbumSummary[]> {
    const rows = await this.repo.summaries({ ownerId: actor.userId });
    return rows.map(toSummary);
  }

  async get(actor: Actor, id: string): Promise<AlbumDetail> {
    await this.access.requireAlbum(actor, id, 'read');
    const [row] = await this.repo.summaries({ id });
    if (!row) throw notFound('Album');
    const summary = toSummary(row);
    return { ...summary, assetIds: await this.repo.assetIds(id, summary.sortOrder) };
  }

  async update(actor: Actor, id: string, patch: AlbumPatch): Promise<AlbumDetail> {
    await this.access.requireAlbum(actor, id, 'manage');
    if (patch.coverAssetId && !(await this.repo.containsAsset(id, patch.coverAssetId))) {
      throw new DomainError('VALIDATION_FAILED', 'The cover must be one of the album’s assets');
    }
    await this.repo.update(id, {
      title: patch.title,
      description: patch.description,
      cover_asset_id: patch.coverAssetId,
      sort_order: patch.sortOrder,
      updated_at: Date.now(),
    });
    return this.get(actor, id);
  }

  /** Deletes the album only; its photos stay in the library. */
  async delete(actor: Actor, id: string): Promise<void> {
    await this.access.requireAlbum(actor, id, 'manage');
    await this.repo.delete(id);
  }

  async addAssets(actor: Actor, id: string, assetIds: readonly string[]): Promise<number> {
    await this.access.requireAlbum(actor, id, 'edit');
    await this.access.requireAssets(actor, assetIds, 'read');
    return this.repo.addAssets(id, assetIds, actor.userId);
  }

  async removeAssets(actor: Actor, id: string, assetIds: readonly string[]): Promise<number> {
    await this.access.requireAlbum(actor, id, 'edit');
    return this.repo.removeAssets(id, assetIds);
  }
}

function toSummary(row: AlbumSummaryRow): AlbumSummary {
  return {
    id: row.id,
    ownerId: row.owner_id,
    title: row.title,
    description: row.description,
    coverAssetId: row.shown_cover_id ?? row.newest_asset_id,
    sortOrder: row.sort_order,
    assetCount: row.asset_count,
    startDate: row.start_date,
    endDate: row.end_date,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
