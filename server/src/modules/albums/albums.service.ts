import { randomUUID } from 'node:crypto';
import type { AccessService, Actor, AlbumAccessRole } from '../../access/access.service.js';
import type { AlbumRole } from '../../db/db.types.js';
import { DomainError, notFound } from '../../errors.js';
import type { UsersService } from '../users/users.service.js';
import type { AlbumMemberRow, AlbumSummaryRow, AlbumsRepo } from './albums.repo.js';

export interface AlbumSummary {
  id: string;
  ownerId: string;
  ownerName: string;
  /** The caller's role: owner, or the role the owner gave them. */
  role: AlbumAccessRole;
  /** True when the album is someone else's, shared with the caller. */
  shared: boolean;
  memberCount: number;
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

export interface AlbumMember {
  userId: string;
  name: string;
  email: string;
  role: AlbumRole;
  addedAt: string;
}

/** What a grid needs to lay out one of the album's assets. */
export interface AlbumItem {
  id: string;
  type: 'image' | 'video';
  /** width / height after orientation; 1 until known. */
  ratio: number;
  thumbhash: string | null;
  durationSeconds: number | null;
}

export interface AlbumDetail extends AlbumSummary {
  assetIds: string[];
  items: AlbumItem[];
  members: AlbumMember[];
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
    private readonly users: UsersService,
  ) {}

  async create(
    actor: Actor,
    input: { title: string; description?: string | null; assetIds?: string[] },
  ): Promise<AlbumDetail> {
    if (input.assetIds?.length) await this.access.requireAssets(actor, input.assetIds, 'share');
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

  /** The albums the actor owns and those shared with them. */
  async list(actor: Actor): Promise<AlbumSummary[]> {
    const [rows, roles] = await Promise.all([
      this.repo.summaries({ userId: actor.userId }),
      this.repo.memberRoles(actor.userId),
    ]);
    return rows.map((row) =>
      toSummary(row, row.owner_id === actor.userId ? 'owner' : (roles.get(row.id) ?? 'viewer')),
    );
  }

  async get(actor: Actor, id: string): Promise<AlbumDetail> {
    const role = await this.access.requireAlbum(actor, id, 'read');
    const [row] = await this.repo.summaries({ id });
    if (!row) throw notFound('Album');
    const summary = toSummary(row, role);
    const [assets, members] = await Promise.all([
      this.repo.albumAssets(id, summary.sortOrder),
      this.repo.members(id),
    ]);
    const items = assets.map((a) => ({
      id: a.id,
      type: a.type,
      ratio: a.width && a.height ? Math.round((a.width / a.height) * 1000) / 1000 : 1,
      thumbhash: a.thumbhash,
      durationSeconds: a.duration_seconds,
    }));
    return { ...summary, assetIds: items.map((i) => i.id), items, members: members.map(toMember) };
  }

  /** Adds a member or changes their role; takes effect on their next request. */
  async setMember(
    actor: Actor,
    id: string,
    userId: string,
    role: AlbumRole,
  ): Promise<AlbumMember[]> {
    await this.access.requireAlbum(actor, id, 'manage');
    if (userId === actor.userId) {
      throw new DomainError('VALIDATION_FAILED', 'The owner is not a member of their own album');
    }
    await this.users.get(userId);
    await this.repo.setMember(id, userId, role);
    return (await this.repo.members(id)).map(toMember);
  }

  /** The owner removes anyone; a member may remove themselves (leave the album). */
  async removeMember(actor: Actor, id: string, userId: string): Promise<void> {
    await this.access.requireAlbum(actor, id, userId === actor.userId ? 'read' : 'manage');
    if (!(await this.repo.removeMember(id, userId))) throw notFound('Member');
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
    // Only one's own photos go in: an album never re-shares what was shared with its owner.
    await this.access.requireAssets(actor, assetIds, 'share');
    return this.repo.addAssets(id, assetIds, actor.userId);
  }

  async removeAssets(actor: Actor, id: string, assetIds: readonly string[]): Promise<number> {
    await this.access.requireAlbum(actor, id, 'edit');
    return this.repo.removeAssets(id, assetIds);
  }
}

function toMember(row: AlbumMemberRow): AlbumMember {
  return {
    userId: row.user_id,
    name: row.name,
    email: row.email,
    role: row.role,
    addedAt: new Date(row.added_at).toISOString(),
  };
}

function toSummary(row: AlbumSummaryRow, role: AlbumAccessRole): AlbumSummary {
  return {
    id: row.id,
    ownerId: row.owner_id,
    ownerName: row.owner_name ?? '',
    role,
    shared: role !== 'owner',
    memberCount: row.member_count,
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
