import { exportFormatVersion, isoOrNull as iso } from './export.documents.js';
import type { ExportLibraryRepo } from './export.library.repo.js';

/** The path of each asset's original in the export (assets that are not in it are left out). */
export type PathsOf = (assetIds: readonly string[]) => Promise<Map<string, string>>;

const isoOf = (ms: number): string => new Date(ms).toISOString();

/** Rows grouped by a key, each group in the rows' order. */
function groupBy<T>(rows: readonly T[], key: (row: T) => string): (k: string) => T[] {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return (k) => groups.get(k) ?? [];
}

/**
 * account.json: the account, its sessions and API keys (when made, never their secrets), the
 * storage used and the Google Takeout imports. The password is held only as an argon2id hash,
 * which is not exported.
 */
export async function accountDocument(repo: ExportLibraryRepo, userId: string, exportedAt: number) {
  const [user, sessions, apiKeys, usage, imports] = await Promise.all([
    repo.user(userId),
    repo.sessions(userId),
    repo.apiKeys(userId),
    repo.usage(userId),
    repo.takeoutImports(userId),
  ]);
  if (!user) throw new Error(`User ${userId} is gone`);
  const partsOf = groupBy(await repo.takeoutParts(imports.map((i) => i.id)), (p) => p.import_id);
  return {
    format: 'pixelunion.account',
    version: exportFormatVersion,
    exportedAt: isoOf(exportedAt),
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      isAdmin: user.is_admin === 1,
      quotaBytes: user.quota_bytes,
      createdAt: isoOf(user.created_at),
      stripLocation: user.strip_location === 1,
      erasureRequestedAt: iso(user.erasure_requested_at),
      erasureDueAt: iso(user.erasure_due_at),
    },
    usage,
    sessions: sessions.map((s) => ({
      createdAt: isoOf(s.created_at),
      expiresAt: isoOf(s.expires_at),
    })),
    apiKeys: apiKeys.map((k) => ({ id: k.id, name: k.name, createdAt: isoOf(k.created_at) })),
    takeoutImports: imports.map((i) => ({
      id: i.id,
      status: i.status,
      error: i.error,
      createdAt: isoOf(i.created_at),
      startedAt: iso(i.started_at),
      finishedAt: iso(i.finished_at),
      parts: partsOf(i.id).map((p) => ({
        fileName: p.file_name,
        size: p.size,
        status: p.status,
        error: p.error,
      })),
    })),
    notExported: [
      'Your password: only an argon2id hash of it is held.',
      'The secrets of your sessions and API keys: only their hashes are held.',
      'Visitors’ passes and rate-limit counters of share links: short-lived, and about visitors.',
    ],
  };
}

/**
 * albums.json: the user's albums with their members and the user's own photos in them (others'
 * photos are counted, not listed), and the albums of others the user is a member of, with the
 * user's photos there.
 */
export async function albumsDocument(repo: ExportLibraryRepo, userId: string, pathsOf: PathsOf) {
  const [owned, memberships] = await Promise.all([
    repo.ownedAlbums(userId),
    repo.memberships(userId),
  ]);
  const [members, contents] = await Promise.all([
    repo.albumMembers(owned.map((a) => a.id)),
    repo.albumContents([...owned.map((a) => a.id), ...memberships.map((m) => m.id)]),
  ]);
  const mine = contents.filter((c) => c.owner_id === userId);
  const paths = await pathsOf([...new Set(mine.map((c) => c.asset_id))]);
  const mineIn = groupBy(mine, (c) => c.album_id);
  const othersIn = groupBy(
    contents.filter((c) => c.owner_id !== userId),
    (c) => c.album_id,
  );
  const membersOf = groupBy(members, (m) => m.album_id);
  const assetsOf = (albumId: string) =>
    mineIn(albumId).map((c) => ({
      assetId: c.asset_id,
      path: paths.get(c.asset_id) ?? null,
      addedAt: isoOf(c.added_at),
      addedBy: c.added_by,
    }));
  const othersCount = (albumId: string) => othersIn(albumId).length;
  return {
    format: 'pixelunion.albums',
    version: exportFormatVersion,
    albums: owned.map((album) => ({
      id: album.id,
      title: album.title,
      description: album.description,
      coverAssetId: album.cover_asset_id,
      sortOrder: album.sort_order,
      createdAt: isoOf(album.created_at),
      updatedAt: isoOf(album.updated_at),
      members: membersOf(album.id).map((m) => ({
        userId: m.user_id,
        name: m.name,
        email: m.email,
        role: m.role,
        addedAt: isoOf(m.added_at),
      })),
      assets: assetsOf(album.id),
      assetsOfOthers: othersCount(album.id),
    })),
    sharedWithYou: memberships.map((m) => ({
      id: m.id,
      title: m.title,
      description: m.description,
      owner: { id: m.owner_id, name: m.owner_name, email: m.owner_email },
      role: m.role,
      addedAt: isoOf(m.added_at),
      yourAssets: assetsOf(m.id),
      assetsOfOthers: othersCount(m.id),
    })),
  };
}

/**
 * shares.json: every share link the user made (revoked and expired ones too), its options, what
 * it shares, and its whole use log. A link's key is included: with it the link can be used
 * while it is active, as from the links page.
 */
export async function sharesDocument(repo: ExportLibraryRepo, userId: string) {
  const links = await repo.links(userId);
  const ids = links.map((l) => l.id);
  const [assets, events] = await Promise.all([repo.linkAssets(ids), repo.linkEvents(ids)]);
  const assetsOf = groupBy(assets, (a) => a.link_id);
  const eventsOf = groupBy(events, (e) => e.link_id);
  return {
    format: 'pixelunion.shares',
    version: exportFormatVersion,
    links: links.map((link) => ({
      id: link.id,
      key: link.key,
      path: `/s/${link.key}`,
      albumId: link.album_id,
      assetIds: assetsOf(link.id).map((a) => a.asset_id),
      label: link.label,
      description: link.description,
      hasPassword: link.password_hash !== null,
      expiresAt: iso(link.expires_at),
      maxViews: link.max_views,
      viewCount: link.view_count,
      allowDownload: link.allow_download === 1,
      allowUpload: link.allow_upload === 1,
      showMetadata: link.show_metadata === 1,
      revokedAt: iso(link.revoked_at),
      createdAt: isoOf(link.created_at),
      updatedAt: isoOf(link.updated_at),
      events: eventsOf(link.id).map((e) => ({
        kind: e.kind,
        at: isoOf(e.at),
        client: e.client,
        assetId: e.asset_id,
      })),
    })),
  };
}
