import { randomBytes, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import argon2 from 'argon2';
import type {
  AccessService,
  Actor,
  LinkPass,
  ShareLinkGrant,
} from '../../access/access.service.js';
import type { Config } from '../../config.js';
import type { ShareLinkEventKind, ShareLinkRow } from '../../db/db.types.js';
import { DomainError, notFound } from '../../errors.js';
import type { ByteRange } from '../../storage/blob-store.js';
import type { AlbumsService } from '../albums/albums.service.js';
import type { AssetFileKind, AssetsService, LinkViewer } from '../assets/assets.service.js';
import type { AuthService } from '../auth/auth.service.js';
import type { SharesRepo } from './shares.repo.js';
import { sha256 } from '../../hash.js';
import { toGrant, toPublicAsset, type PublicAsset } from './shares.views.js';

/** How long a visitor's pass (the cookie after a password or a counted view) is honoured. */
export const PASS_SECONDS = 12 * 3600;

/** One request of a link's visitor: the key from the URL, the pass from the cookie, who asks. */
export interface Visit {
  key: string;
  passToken: string | undefined;
  /** Coarse description for the use log (never a full address). */
  client: string;
  /** The full address: only hashed, into the wrong-password counters' keys. */
  ip: string;
}

export interface LinkContent {
  type: 'album' | 'assets';
  title: string | null;
  description: string | null;
  ownerName: string;
  expiresAt: string | null;
  hasPassword: boolean;
  allowDownload: boolean;
  allowUpload: boolean;
  showMetadata: boolean;
  assets: PublicAsset[];
}

export interface IncomingFile {
  stream: Readable;
  filename: string;
  fileCreatedAt?: Date;
  fileModifiedAt?: Date;
}

interface Opened {
  row: ShareLinkRow;
  grant: ShareLinkGrant;
  pass: LinkPass;
  passHash: string | null;
}

/** The visitor's side of share links: everything reached by the key, without an account. */
export class ShareVisitsService {
  constructor(
    private readonly repo: SharesRepo,
    private readonly access: AccessService,
    private readonly assets: AssetsService,
    private readonly albums: AlbumsService,
    private readonly auth: AuthService,
    private readonly config: Pick<Config, 'loginMaxAttempts'>,
  ) {}

  /**
   * One view: counted once per visitor (their pass cookie, 12 hours), so a reload is not another
   * view; refused once the views are used up, except for a visitor who already holds one.
   * Answers a new pass when the visitor has none yet.
   */
  async view(visit: Visit): Promise<{ content: LinkContent; newPass: string | null }> {
    const { row, grant, pass, passHash } = await this.open(visit);
    this.access.requireLinkOpen(grant, pass, pass.viewed ? 'content' : 'view');
    let newPass: string | null = null;
    if (!pass.viewed) {
      if (!(await this.repo.takeView(row.id))) {
        throw new DomainError('LINK_EXHAUSTED', 'This link has been viewed as often as allowed');
      }
      if (passHash) await this.repo.updatePass(passHash, { viewed: 1 });
      else newPass = await this.issuePass(row.id, { viewed: 1 });
      await this.record(row.id, 'view', visit.client, null);
    }
    return { content: await this.content(row), newPass };
  }

  /** Checks the password; answers the pass to set as the cookie (null: the link has none). */
  async unlock(visit: Visit, password: string): Promise<string | null> {
    const { row, grant, pass, passHash } = await this.open(visit);
    this.access.requireLinkOpen(grant, { ...pass, unlocked: true }, 'content');
    if (row.password_hash === null) return null;
    const max = this.config.loginMaxAttempts;
    // Counter keys name the client by a hash, so no full address is written anywhere.
    const client = sha256(`pixelunion-link-client:${visit.ip}`).slice(0, 32);
    const limits = [
      { key: `link:${row.id}:client:${client}`, max },
      { key: `link:${row.id}`, max: max * 5 },
      { key: `link-client:${client}`, max: max * 5 },
    ];
    await this.auth.requireAttemptsLeft(limits, 'password attempts');
    if (!(await argon2.verify(row.password_hash, password))) {
      await this.auth.recordFailedAttempt(limits.map((l) => l.key));
      await this.record(row.id, 'password_failed', visit.client, null);
      throw new DomainError('WRONG_PASSWORD', 'Wrong password');
    }
    if (passHash && visit.passToken) {
      await this.repo.updatePass(passHash, { unlocked: 1 });
      return visit.passToken;
    }
    return this.issuePass(row.id, { unlocked: 1 });
  }

  async openFile(
    visit: Visit,
    assetId: string,
    kind: AssetFileKind,
    range?: (size: number) => ByteRange | undefined,
  ): ReturnType<AssetsService['openFile']> {
    const opened = await this.open(visit);
    const file = await this.assets.openFile(this.viewer(opened), assetId, kind, range);
    if (kind === 'original' && (!file.range || file.range.start === 0)) {
      await this.record(opened.row.id, 'download', visit.client, assetId);
    }
    return file;
  }

  /** The chosen assets (or all the link shows) as one zip, when the link allows downloads. */
  async download(visit: Visit, ids?: string[]): ReturnType<AssetsService['archive']> {
    const opened = await this.open(visit);
    await this.access.requireLinkAssets(opened.grant, opened.pass, [], 'download');
    const wanted = ids ?? (await this.repo.contentAssets(opened.row, 'asc')).map((a) => a.id);
    if (wanted.length === 0) throw new DomainError('VALIDATION_FAILED', 'Nothing to download');
    const zip = await this.assets.archive(this.viewer(opened), wanted);
    await this.record(opened.row.id, 'download', visit.client, null);
    return zip;
  }

  /** A visitor's upload: into the owner's library (their quota) and the link's album. */
  async upload(
    visit: Visit,
    receive: () => Promise<IncomingFile>,
  ): Promise<{ id: string; status: 'created' | 'duplicate' }> {
    const { row, grant, pass } = await this.open(visit);
    this.access.requireLinkUpload(grant, pass);
    const file = await receive();
    const owner: Actor = { userId: row.owner_id, isAdmin: false };
    const result = await this.assets.upload(owner, file.stream, {
      filename: file.filename,
      fileCreatedAt: file.fileCreatedAt,
      fileModifiedAt: file.fileModifiedAt,
      viaLinkId: row.id,
    });
    await this.albums.addAssets(owner, row.album_id ?? '', [result.id]);
    await this.record(row.id, 'upload', visit.client, result.id);
    return result;
  }

  private async open(visit: Visit): Promise<Opened> {
    const row = await this.repo.findByKeyHash(sha256(visit.key));
    if (!row) throw notFound('Share link');
    let pass: LinkPass = { unlocked: false, viewed: false };
    let passHash: string | null = null;
    if (visit.passToken) {
      const hash = sha256(visit.passToken);
      const found = await this.repo.findPass(hash);
      // A pass is bound to the link it was given for: another link's cookie proves nothing.
      if (found && found.link_id === row.id && found.expires_at > Date.now()) {
        pass = { unlocked: found.unlocked === 1, viewed: found.viewed === 1 };
        passHash = hash;
      }
    }
    return { row, grant: toGrant(row), pass, passHash };
  }

  private viewer(opened: Opened): LinkViewer {
    return { link: opened.grant, pass: opened.pass, showMetadata: opened.row.show_metadata === 1 };
  }

  private async issuePass(
    linkId: string,
    flags: { unlocked?: number; viewed?: number },
  ): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    await this.repo.insertPass({
      token_hash: sha256(token),
      link_id: linkId,
      unlocked: flags.unlocked ?? 0,
      viewed: flags.viewed ?? 0,
      created_at: now,
      expires_at: now + PASS_SECONDS * 1000,
    });
    return token;
  }

  private async record(
    linkId: string,
    kind: ShareLinkEventKind,
    client: string,
    assetId: string | null,
  ): Promise<void> {
    await this.repo.insertEvent({
      id: randomUUID(),
      link_id: linkId,
      kind,
      at: Date.now(),
      client,
      asset_id: assetId,
    });
  }

  private async content(row: ShareLinkRow): Promise<LinkContent> {
    const album = row.album_id ? await this.repo.albumInfo(row.album_id) : undefined;
    const assets = await this.repo.contentAssets(row, album?.sort_order ?? 'desc');
    const showMetadata = row.show_metadata === 1;
    return {
      type: row.album_id ? 'album' : 'assets',
      title: album?.title ?? null,
      description: row.description,
      ownerName: await this.repo.ownerName(row.owner_id),
      expiresAt: row.expires_at === null ? null : new Date(row.expires_at).toISOString(),
      hasPassword: row.password_hash !== null,
      allowDownload: row.allow_download === 1,
      allowUpload: row.allow_upload === 1,
      showMetadata,
      assets: assets.map((a) => toPublicAsset(a, showMetadata)),
    };
  }
}
