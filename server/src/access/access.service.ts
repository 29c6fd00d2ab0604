import { DomainError, notFound } from '../errors.js';
import type { AccessRepo } from './access.repo.js';

/** Who is asking: a signed-in user (by session or API key). */
export interface Actor {
  userId: string;
  isAdmin: boolean;
}

export type AssetPermission = 'read' | 'update' | 'delete';
/** read: see the album; edit: add and remove assets; manage: rename, share, delete. */
export type AlbumPermission = 'read' | 'edit' | 'manage';

export function requireAdmin(actor: Actor): void {
  if (!actor.isAdmin) throw new DomainError('FORBIDDEN', 'Only an administrator may do this');
}

/**
 * The one place that answers "may this actor do X to these assets?". An asset the actor may not
 * see is reported as not found, never as forbidden, so ids of other people's photos leak nothing.
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
    const missing = assetIds.filter((id) => !allowed.has(id));
    if (missing.length > 0) {
      throw new DomainError('NOT_FOUND', `Asset not found: ${missing.join(', ')}`, { missing });
    }
  }

  /** Owners may do everything to their own assets; shared access arrives with albums and links. */
  allowedAssets(
    actor: Actor,
    assetIds: readonly string[],
    _permission: AssetPermission,
  ): Promise<Set<string>> {
    return this.repo.ownedAssetIds(actor.userId, assetIds);
  }

  /** Albums follow the same rule as assets: one the actor may not use is "not found". */
  async requireAlbum(actor: Actor, albumId: string, _permission: AlbumPermission): Promise<void> {
    const owner = await this.repo.albumOwner(albumId);
    if (owner !== actor.userId) throw notFound('Album');
  }
}
