import { randomBytes, randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import type { AccessService, Actor } from '../../access/access.service.js';
import type { Config } from '../../config.js';
import type { ShareLinkEventKind, ShareLinkRow, ShareLinksTable } from '../../db/db.types.js';
import { DomainError, notFound } from '../../errors.js';
import type { Updateable } from 'kysely';
import type { SharesRepo } from './shares.repo.js';
import { toLinkView, type ShareLinkView } from './shares.views.js';
import { sha256 } from '../../hash.js';

/** 'never' (the explicit choice of no expiry) or an ISO date; undefined keeps the default. */
export type ExpiryInput = string;

export interface LinkOptions {
  label?: string | null;
  description?: string | null;
  expiresAt?: ExpiryInput;
  password?: string | null;
  maxViews?: number | null;
  allowDownload?: boolean;
  allowUpload?: boolean;
  showMetadata?: boolean;
}

export interface NewLink extends LinkOptions {
  albumId?: string;
  assetIds?: string[];
}

export interface LinkUse {
  views: number;
  downloads: number;
  uploads: number;
  passwordFailures: number;
  lastUsedAt: string | null;
  events: { kind: ShareLinkEventKind; at: string; client: string; assetId: string | null }[];
}

/** The owner's side of share links: create, list, change, revoke, and see their use. */
export class SharesService {
  constructor(
    private readonly repo: SharesRepo,
    private readonly access: AccessService,
    private readonly config: Pick<Config, 'linkDefaultDays'>,
  ) {}

  async create(actor: Actor, input: NewLink): Promise<ShareLinkView> {
    const chosen = input.assetIds ?? [];
    if ((input.albumId === undefined) === (chosen.length === 0)) {
      throw new DomainError('VALIDATION_FAILED', 'A link shares either an album or assetIds');
    }
    if (input.albumId !== undefined) await this.access.requireAlbum(actor, input.albumId, 'manage');
    else await this.access.requireAssets(actor, chosen, 'share');
    if (input.allowUpload && input.albumId === undefined) {
      throw new DomainError('VALIDATION_FAILED', 'Only a link to an album can allow uploads');
    }
    const now = Date.now();
    // 192 random bits, base64url: 32 characters.
    const key = randomBytes(24).toString('base64url');
    const id = randomUUID();
    await this.repo.insert(
      {
        id,
        owner_id: actor.userId,
        album_id: input.albumId ?? null,
        key,
        key_hash: sha256(key),
        password_hash: input.password ? await hashPassword(input.password) : null,
        expires_at: expiryOf(input.expiresAt, now, this.config.linkDefaultDays),
        max_views: input.maxViews ?? null,
        allow_download: input.allowDownload ? 1 : 0,
        allow_upload: input.allowUpload ? 1 : 0,
        show_metadata: input.showMetadata ? 1 : 0,
        description: input.description ?? null,
        label: input.label ?? null,
        revoked_at: null,
        created_at: now,
        updated_at: now,
      },
      chosen,
    );
    return this.get(actor, id);
  }

  async list(actor: Actor, albumId?: string): Promise<ShareLinkView[]> {
    const rows = await this.repo.listByOwner(actor.userId, albumId);
    return Promise.all(rows.map((row) => this.view(row)));
  }

  async get(actor: Actor, id: string): Promise<ShareLinkView> {
    return this.view(await this.load(actor, id));
  }

  async update(actor: Actor, id: string, patch: LinkOptions): Promise<ShareLinkView> {
    const row = await this.load(actor, id);
    if (row.revoked_at !== null) {
      throw new DomainError('LINK_REVOKED', 'A revoked link cannot be changed; create a new one');
    }
    if (patch.allowUpload && row.album_id === null) {
      throw new DomainError('VALIDATION_FAILED', 'Only a link to an album can allow uploads');
    }
    const now = Date.now();
    const changes: Updateable<ShareLinksTable> = {
      label: patch.label,
      description: patch.description,
      max_views: patch.maxViews,
      allow_download: flag(patch.allowDownload),
      allow_upload: flag(patch.allowUpload),
      show_metadata: flag(patch.showMetadata),
      updated_at: now,
    };
    if (patch.expiresAt !== undefined) {
      changes.expires_at = expiryOf(patch.expiresAt, now, this.config.linkDefaultDays);
    }
    if (patch.password !== undefined) {
      changes.password_hash = patch.password ? await hashPassword(patch.password) : null;
    }
    await this.repo.update(id, changes);
    if (patch.password !== undefined) await this.repo.lockPasses(id);
    return this.get(actor, id);
  }

  /** Revokes for good: every request with its key answers 410 from now on. */
  async revoke(actor: Actor, id: string): Promise<void> {
    const row = await this.load(actor, id);
    if (row.revoked_at === null) {
      await this.repo.update(id, { revoked_at: Date.now(), updated_at: Date.now() });
    }
  }

  async use(actor: Actor, id: string, limit = 500): Promise<LinkUse> {
    await this.load(actor, id);
    const [counts, events] = await Promise.all([
      this.repo.eventCounts(id),
      this.repo.events(id, limit),
    ]);
    return {
      views: counts.get('view') ?? 0,
      downloads: counts.get('download') ?? 0,
      uploads: counts.get('upload') ?? 0,
      passwordFailures: counts.get('password_failed') ?? 0,
      lastUsedAt: events[0] ? new Date(events[0].at).toISOString() : null,
      events: events.map((e) => ({
        kind: e.kind,
        at: new Date(e.at).toISOString(),
        client: e.client,
        assetId: e.asset_id,
      })),
    };
  }

  /** Deletes use-log entries older than `logDays` days, and visitors' expired passes. */
  purgeLog(logDays: number): Promise<number> {
    const now = Date.now();
    return this.repo.purge(now - logDays * 86_400_000, now);
  }

  private async load(actor: Actor, id: string): Promise<ShareLinkRow> {
    await this.access.requireShareLink(actor, id);
    const row = await this.repo.findById(id);
    if (!row) throw notFound('Share link');
    return row;
  }

  private async view(row: ShareLinkRow): Promise<ShareLinkView> {
    return toLinkView(row, row.album_id ? [] : await this.repo.chosenAssetIds(row.id));
  }
}

const flag = (value: boolean | undefined): number | undefined =>
  value === undefined ? undefined : value ? 1 : 0;

export const hashPassword = (password: string): Promise<string> =>
  argon2.hash(password, { type: argon2.argon2id });

function expiryOf(input: ExpiryInput | undefined, now: number, defaultDays: number): number | null {
  if (input === 'never') return null;
  if (input === undefined) return now + defaultDays * 86_400_000;
  const at = Date.parse(input);
  if (Number.isNaN(at)) {
    throw new DomainError('VALIDATION_FAILED', `expiresAt must be an ISO date or "never"`);
  }
  if (at <= now) throw new DomainError('VALIDATION_FAILED', 'expiresAt must be in the future');
  return at;
}
