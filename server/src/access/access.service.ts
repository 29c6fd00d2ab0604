import type { AlbumRole } from '../db/db.types.js';
import { DomainError, notFound } from '../errors.js';
import type { AccessRepo } from './access.repo.js';

/** Who is asking: a signed-in user (by session or API key). */
export interface Actor {
  userId: string;
  isAdmin: boolean;
}

/**
 * read: see it (directly or through an album shared with the actor); update, delete: change it;
 * share: put it into an album or a share link. All but read are the owner's alone.
 */
export type AssetPermission = 'read' | 'update' | 'delete' | 'share';
/** read: see the album; edit: add and remove assets; manage: rename, share, delete. */
export type AlbumPermission = 'read' | 'edit' | 'manage';
export type AlbumAccessRole = 'owner' | AlbumRole;

/** What a share link allows, as stored. */
export interface ShareLinkGrant {
  id: string;
  ownerId: string;
  albumId: string | null;
  hasPassword: boolean;
  expiresAt: number | null;
  maxViews: number | null;
  viewCount: number;
  revokedAt: number | null;
  allowDownload: boolean;
  allowUpload: boolean;
}

/** What the visitor's cookie for this link proves: its password was given, it holds a view. */
export interface LinkPass {
  unlocked: boolean;
  viewed: boolean;
}

/** read: see (JSON, thumbnail, preview, full size); download: the original and zips. */
export type LinkPermission = 'read' | 'download';

export function requireAdmin(actor: Actor): void {
  if (!actor.isAdmin) throw new DomainError('FORBIDDEN', 'Only an administrator may do this');
}

/**
 * The one place that answers "may this actor, or this share link, do X to these ids?". An asset
 * or album the actor may not see is reported as not found, never as forbidden, so ids of other
 * people's photos leak nothing.
 */
export class AccessService {
  constructor(private readonly repo: AccessRepo) {}

  async requireAsset(actor: Actor, assetId: string, permission: AssetPermission): Promise<void> {
    const allowed = await this.allowedAssets(actor, [assetId], permission);
    if (!allowed.has(assetId)) throw notFound('Asset');
  }

  async requireAssets(
    actor: Actor,
    assetIds: readonly string[],
    permission: AssetPermission,
  ): Promise<void> {
    const allowed = await this.allowedAssets(actor, assetIds, permission);
    throwMissing(assetIds, allowed);
  }

  /** Owners may do everything to their own assets; album members may read the album's. */
  allowedAssets(
    actor: Actor,
    assetIds: readonly string[],
    permission: AssetPermission,
  ): Promise<Set<string>> {
    return permission === 'read'
      ? this.repo.readableAssetIds(actor.userId, assetIds)
      : this.repo.ownedAssetIds(actor.userId, assetIds);
  }

  /**
   * Owner: everything; editor: read and edit; viewer: read. Answers the actor's role. An album
   * the actor is not in is "not found"; one they see but may not change is "forbidden".
   */
  async requireAlbum(
    actor: Actor,
    albumId: string,
    permission: AlbumPermission,
  ): Promise<AlbumAccessRole> {
    const role = await this.repo.albumRole(albumId, actor.userId);
    if (!role) throw notFound('Album');
    const allowed =
      role === 'owner' || permission === 'read' || (permission === 'edit' && role === 'editor');
    if (!allowed) {
      throw new DomainError(
        'FORBIDDEN',
        permission === 'edit'
          ? 'Viewers cannot add or remove photos'
          : 'Only the album’s owner may do this',
      );
    }
    return role;
  }

  /** Share links are their owner's alone to see and change. */
  async requireShareLink(actor: Actor, linkId: string): Promise<void> {
    if ((await this.repo.shareLinkOwner(linkId)) !== actor.userId) throw notFound('Share link');
  }

  /** An import, its progress and its report are their owner's alone. */
  async requireTakeoutImport(actor: Actor, importId: string): Promise<void> {
    if ((await this.repo.takeoutImportOwner(importId)) !== actor.userId) throw notFound('Import');
  }

  /** An export, its parts and their download are their owner's alone. */
  async requireExport(actor: Actor, exportId: string): Promise<void> {
    if ((await this.repo.exportOwner(exportId)) !== actor.userId) throw notFound('Export');
  }

  /**
   * Whether the link may be used at all, checked on every request: revoked, expired, exhausted
   * (a new view, or content for a visitor without one of its views), then the password.
   */
  requireLinkOpen(
    link: ShareLinkGrant,
    pass: LinkPass,
    purpose: 'view' | 'content',
    now = Date.now(),
  ): void {
    if (link.revokedAt !== null) {
      throw new DomainError('LINK_REVOKED', 'This link was revoked by its owner');
    }
    if (link.expiresAt !== null && link.expiresAt <= now) {
      throw new DomainError('LINK_EXPIRED', 'This link has expired', {
        expiredAt: new Date(link.expiresAt).toISOString(),
      });
    }
    const exhausted = link.maxViews !== null && link.viewCount >= link.maxViews;
    if (exhausted && (purpose === 'view' || !pass.viewed)) {
      throw new DomainError('LINK_EXHAUSTED', 'This link has been viewed as often as allowed', {
        maxViews: link.maxViews,
      });
    }
    if (link.hasPassword && !pass.unlocked) {
      throw new DomainError('PASSWORD_REQUIRED', 'This link needs its password');
    }
  }

  async requireLinkAsset(
    link: ShareLinkGrant,
    pass: LinkPass,
    assetId: string,
    permission: LinkPermission,
  ): Promise<void> {
    await this.requireLinkAssets(link, pass, [assetId], permission);
  }

  async requireLinkAssets(
    link: ShareLinkGrant,
    pass: LinkPass,
    assetIds: readonly string[],
    permission: LinkPermission,
  ): Promise<void> {
    this.requireLinkOpen(link, pass, 'content');
    if (permission === 'download' && !link.allowDownload) {
      throw new DomainError('DOWNLOAD_NOT_ALLOWED', 'This link does not allow downloads');
    }
    throwMissing(assetIds, await this.repo.linkAssetIds(link, assetIds));
  }

  /** Uploads go into the link's album, so only album links can allow them. */
  requireLinkUpload(link: ShareLinkGrant, pass: LinkPass): void {
    this.requireLinkOpen(link, pass, 'content');
    if (!link.allowUpload || link.albumId === null) {
      throw new DomainError('UPLOAD_NOT_ALLOWED', 'This link does not allow uploads');
    }
  }
}

function throwMissing(assetIds: readonly string[], allowed: Set<string>): void {
  const missing = assetIds.filter((id) => !allowed.has(id));
  if (missing.length > 0) {
    throw new DomainError('NOT_FOUND', `Asset not found: ${missing.join(', ')}`, { missing });
  }
}
