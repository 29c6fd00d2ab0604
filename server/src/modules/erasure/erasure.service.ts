import { randomBytes, randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import argon2 from 'argon2';
import type { FastifyBaseLogger } from 'fastify';
import { requireAdmin, type Actor } from '../../access/access.service.js';
import type { Config } from '../../config.js';
import type { UserRow } from '../../db/db.types.js';
import { DomainError, notFound } from '../../errors.js';
import { sha256 } from '../../hash.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { AuthService } from '../auth/auth.service.js';
import { normaliseEmail } from '../users/users.service.js';
import type { ErasureRepo } from './erasure.repo.js';
import { jobMatcher, userBlobPrefixes } from './erasure.targets.js';
import {
  iso,
  parseSummary,
  receiptPath,
  toStatus,
  type AdminErased,
  type ErasureReceipt,
  type ErasureRequested,
  type ErasureStatus,
  type ErasureSummary,
} from './erasure.view.js';

/** Where the erasure looks for a user's files outside the blob store. */
export interface ErasureOptions {
  dataDir: string;
  /** The local blob store's folder, whose emptied `<folder>/<owner>` directories are removed. */
  libraryDir: string | null;
  /** How long to wait for running jobs about the user before deleting their rows anyway. */
  activeJobWaitMs?: number;
}

/** The counter of wrong passwords given to confirm an erasure (a hash: it names no one). */
export const erasurePasswordKey = (userId: string): string =>
  `erasure:${sha256(`erasure-password:${userId}`)}`;

const newReceiptToken = (): string => `per_${randomBytes(32).toString('base64url')}`;

/**
 * Account erasure (GDPR art. 17). A user asks with their password and is erased when the grace
 * period has passed, unless they sign in or cancel before; an admin erases at once. The erasure
 * deletes files first (blob store, temporary uploads, Takeout parts), then every row in one
 * transaction with the user row last, so a run interrupted anywhere is finished by the next one.
 * The receipt keeps counts and times only; its token, given to the user (or the admin), is stored
 * hashed, so nothing links the receipt to the person once the account is gone.
 */
export class ErasureService {
  private readonly running = new Map<string, Promise<ErasureSummary | null>>();
  private compactionPending = false;

  constructor(
    private readonly repo: ErasureRepo,
    private readonly blobs: BlobStore,
    private readonly auth: AuthService,
    private readonly config: Config,
    private readonly options: ErasureOptions,
    private readonly log: FastifyBaseLogger,
  ) {}

  private async user(id: string): Promise<UserRow> {
    const user = await this.repo.findUser(id);
    if (!user) throw notFound('User');
    return user;
  }

  /** Counters of failed attempts that name the user, removed with the account. */
  private attemptKeys(user: UserRow): string[] {
    return [AuthService.emailLimitKey(user.email), erasurePasswordKey(user.id)];
  }

  /** The last admin of a server with other users would leave it without one. */
  private async requireNotLastAdmin(user: UserRow, message: string): Promise<void> {
    if (user.is_admin !== 1) return;
    const { users, admins } = await this.repo.countUsers();
    if (admins <= 1 && users > 1) throw new DomainError('FORBIDDEN', message);
  }

  async status(actor: Actor): Promise<ErasureStatus> {
    return toStatus(await this.user(actor.userId), this.config.erasureGraceDays);
  }

  /**
   * The user's own request, confirmed by their password (rate-limited like sign-in). Other
   * sessions end and API keys are revoked now: nothing keeps writing into an account that is
   * going; the session making the request stays, to cancel. With no grace period it is erased now.
   */
  async request(
    actor: Actor,
    password: string,
    sessionToken: string | null,
  ): Promise<ErasureRequested> {
    const user = await this.user(actor.userId);
    const limits = [{ key: erasurePasswordKey(user.id), max: this.config.loginMaxAttempts }];
    await this.auth.requireAttemptsLeft(limits, 'password attempts');
    if (!(await argon2.verify(user.password_hash, password))) {
      await this.auth.recordFailedAttempt(limits.map((l) => l.key));
      throw new DomainError('FORBIDDEN', 'The password is not correct: nothing was scheduled', {
        reason: 'wrong-password',
      });
    }
    if (user.erasure_due_at !== null) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `Your account is already scheduled for deletion on ${iso(user.erasure_due_at) ?? ''}; cancel that first to change it`,
      );
    }
    await this.requireNotLastAdmin(
      user,
      'You are the only administrator: make another user an administrator first',
    );
    const now = Date.now();
    const dueAt = now + this.config.erasureGraceDays * 86_400_000;
    const token = newReceiptToken();
    await this.repo.schedule(user.id, {
      requestedAt: now,
      dueAt,
      receiptHash: sha256(token),
    });
    const endedSessions = await this.repo.endSessions(
      user.id,
      sessionToken === null ? null : sha256(sessionToken),
    );
    const revokedApiKeys = await this.repo.revokeApiKeys(user.id);
    let receipt: ErasureReceipt | null = null;
    if (this.config.erasureGraceDays === 0) {
      try {
        await this.erase(user.id);
        receipt = await this.receipt(token);
      } catch (error) {
        // Due now: the periodic run finishes it; the token given here stays valid.
        this.log.error({ err: error }, 'account erasure interrupted; the periodic run finishes it');
      }
    }
    return {
      status: receipt ? 'erased' : 'scheduled',
      requestedAt: new Date(now).toISOString(),
      dueAt: new Date(dueAt).toISOString(),
      receiptToken: token,
      receiptPath: receiptPath(token),
      endedSessions,
      revokedApiKeys,
      receipt,
    };
  }

  /** The user changes their mind before the due time (also clears the note of a cancellation). */
  async cancel(actor: Actor): Promise<ErasureStatus> {
    const user = await this.user(actor.userId);
    if (user.erasure_due_at === null) {
      await this.repo.clearCancelledNote(user.id);
    } else if (!(await this.repo.cancel(user.id, Date.now(), false))) {
      throw new DomainError('FORBIDDEN', 'The erasure of this account has started');
    }
    return this.status(actor);
  }

  /**
   * Called by sign-in once the password is right: signing in during the grace period cancels the
   * erasure (the status then says so); an account whose erasure is due cannot sign in.
   */
  async onSignIn(userId: string): Promise<void> {
    const user = await this.repo.findUser(userId);
    if (!user || user.erasure_due_at === null) return;
    if (!(await this.repo.cancel(userId, Date.now(), true))) {
      throw new DomainError('FORBIDDEN', 'This account is being erased');
    }
    this.log.info('scheduled account erasure cancelled by signing in');
  }

  /**
   * An admin erases an account at once, typing its email to confirm. The account is first marked
   * due with no request time (which the receipt reads as "erased by an admin"), so an interrupted
   * erasure is finished by the periodic run; the admin gets the receipt token to pass on. A user's
   * own pending request is overtaken: its token is replaced.
   */
  async eraseByAdmin(actor: Actor, userId: string, confirmEmail: string): Promise<AdminErased> {
    requireAdmin(actor);
    const user = await this.user(userId);
    if (normaliseEmail(confirmEmail) !== user.email) {
      throw new DomainError(
        'VALIDATION_FAILED',
        'The email typed to confirm does not match this user’s email: nothing was erased',
      );
    }
    if (user.erasure_due_at !== null && user.erasure_due_at <= Date.now()) {
      throw new DomainError(
        'VALIDATION_FAILED',
        'The erasure of this account is already under way; it finishes in the background',
      );
    }
    await this.requireNotLastAdmin(
      user,
      'This is the only administrator: make another user an administrator first',
    );
    const token = newReceiptToken();
    await this.repo.schedule(user.id, {
      requestedAt: null,
      dueAt: Date.now(),
      receiptHash: sha256(token),
    });
    try {
      await this.erase(user.id);
    } catch (error) {
      this.log.error({ err: error }, 'account erasure interrupted; the periodic run finishes it');
      return {
        status: 'pending',
        receiptToken: token,
        receiptPath: receiptPath(token),
        receipt: null,
      };
    }
    return {
      status: 'erased',
      receiptToken: token,
      receiptPath: receiptPath(token),
      receipt: await this.receipt(token),
    };
  }

  /** Public: the receipt of an erasure (or the date of one still scheduled) for its token. */
  async receipt(token: string): Promise<ErasureReceipt> {
    const hash = sha256(token);
    // While the account exists the erasure is scheduled (or under way: its receipt is begun).
    const pending = await this.repo.findUserByReceiptHash(hash);
    if (pending) {
      return {
        status: 'scheduled',
        requestedAt: iso(pending.erasure_requested_at),
        dueAt: iso(pending.erasure_due_at),
        erasedAt: null,
        erasedBy: null,
        deleted: null,
      };
    }
    const row = await this.repo.findReceipt(hash);
    if (!row) throw notFound('Erasure receipt');
    return {
      status: 'erased',
      requestedAt: iso(row.requested_at),
      dueAt: null,
      erasedAt: iso(row.erased_at),
      erasedBy: row.erased_by,
      deleted: parseSummary(row.summary),
    };
  }

  /** The periodic run: erases every account whose erasure is due. Answers how many. */
  async eraseDue(now = Date.now()): Promise<number> {
    let erased = 0;
    for (const id of await this.repo.dueUserIds(now)) {
      if (await this.erase(id)) erased++;
    }
    if (this.compactionPending) await this.compact();
    return erased;
  }

  /** Rebuilds the database file without the deleted rows; tried again by the next run if it fails. */
  private async compact(): Promise<void> {
    try {
      await this.repo.compact();
      this.compactionPending = false;
    } catch (error) {
      this.compactionPending = true;
      this.log.warn({ err: error }, 'database not compacted after an erasure; retried later');
    }
  }

  /**
   * Erases one account: files, then rows, then files again (a job that was running may have
   * written one late), then the database file is compacted. Safe to run again at any point;
   * answers the summary, or null when the account was already gone.
   */
  erase(userId: string): Promise<ErasureSummary | null> {
    const current = this.running.get(userId);
    if (current) return current;
    const run = (async () => {
      if (!(await this.dueUser(userId))) return null;
      const jobs = await this.eraseFiles(userId);
      const summary = await this.eraseRows(userId, jobs);
      await this.eraseFiles(userId);
      await this.compact();
      if (summary) this.log.info({ summary }, 'account erased');
      return summary;
    })().finally(() => {
      this.running.delete(userId);
    });
    this.running.set(userId, run);
    return run;
  }

  /**
   * The first phase: locks the account (sessions, API keys, running imports), removes the jobs
   * about it that are not running and waits a while for those that are, then deletes every file.
   * Answers the jobs found, for the rows phase.
   */
  async eraseFiles(userId: string): Promise<{ ids: number[]; lastId: number }> {
    const user = await this.dueUser(userId);
    if (!user) return { ids: [], lastId: 0 };
    const credentials = await this.repo.countCredentials(userId);
    const jobs = await this.repo.matchJobs(jobMatcher(userId)(await this.repo.ownedIds(userId)));
    const deletedJobs = await this.repo.deleteIdleJobs(jobs.ids);
    await this.repo.beginReceipt(user, {
      id: randomUUID(),
      startedAt: Date.now(),
      counts: { ...credentials, jobs: deletedJobs },
    });
    await this.repo.endSessions(userId, null);
    await this.repo.revokeApiKeys(userId);
    await this.repo.stopImports(userId, Date.now());

    const waitUntil = Date.now() + (this.options.activeJobWaitMs ?? 60_000);
    while ((await this.repo.activeJobIds(jobs.ids)).length > 0 && Date.now() < waitUntil) {
      await sleep(200);
    }

    for (const prefix of userBlobPrefixes(userId)) {
      for await (const key of this.blobs.list(prefix)) await this.blobs.delete(key);
      if (this.options.libraryDir) {
        await fsp.rm(path.join(this.options.libraryDir, prefix), { recursive: true, force: true });
      }
    }
    const { uploadIds, assetIds } = await this.repo.fileOwners(userId);
    const dir = (...parts: string[]) => path.join(this.options.dataDir, ...parts);
    for (const id of uploadIds) await fsp.rm(dir('tmp', 'resumable', id), { force: true });
    // An upload received but not yet moved into the store waits under its asset's id.
    const waiting = await fsp.readdir(dir('tmp', 'uploads')).catch(() => [] as string[]);
    for (const name of waiting.filter((n) => assetIds.has(n))) {
      await fsp.rm(dir('tmp', 'uploads', name), { force: true });
    }
    return jobs;
  }

  /** The second phase: every row, in one transaction, and the receipt. */
  async eraseRows(
    userId: string,
    jobs: { ids: number[]; lastId: number } = { ids: [], lastId: 0 },
  ): Promise<ErasureSummary | null> {
    const user = await this.dueUser(userId);
    if (!user) return null;
    return this.repo.eraseRows(userId, {
      jobIds: jobs.ids,
      jobsScannedUpTo: jobs.lastId,
      jobMatcher: jobMatcher(userId),
      rateLimitKeys: this.attemptKeys(user),
      erasedAt: Date.now(),
      receiptId: randomUUID(),
    });
  }

  /** The user, when their erasure is due (never touch an account that is not). */
  private async dueUser(userId: string): Promise<UserRow | null> {
    const user = await this.repo.findUser(userId);
    const due = user?.erasure_due_at;
    return user && due !== null && due !== undefined && due <= Date.now() ? user : null;
  }
}
