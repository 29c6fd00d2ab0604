import { randomBytes, randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import type { Config } from '../../config.js';
import { DomainError, notFound } from '../../errors.js';
import type { Actor } from '../../access/access.service.js';
import type { UsersRepo } from '../users/users.repo.js';
import {
  normaliseEmail,
  toUserView,
  type UserView,
  type UsersService,
} from '../users/users.service.js';
import type { AuthRepo } from './auth.repo.js';
import { sha256 } from '../../hash.js';

const newSecret = (prefix: string): string => prefix + randomBytes(32).toString('base64url');

// A real hash to compare against when the email is unknown, so timing does not reveal accounts.
const dummyHash = argon2.hash('pixelunion-timing-guard', { type: argon2.argon2id });

export interface LoginResult {
  token: string;
  expiresAt: number;
  user: UserView;
}

export class AuthService {
  constructor(
    private readonly repo: AuthRepo,
    private readonly usersRepo: UsersRepo,
    private readonly users: UsersService,
    private readonly config: Config,
  ) {}

  /** Creates the first account, as administrator; refused once any user exists. */
  async setup(input: { email: string; password: string; name: string }): Promise<UserView> {
    if ((await this.users.count()) > 0) {
      throw new DomainError('ALREADY_SET_UP', 'PixelUnion is already set up; sign in instead');
    }
    return this.users.create({ ...input, isAdmin: true });
  }

  /**
   * Runs once the password is right, before the session is made; throwing refuses the sign-in.
   * The erasure module sets it: signing in cancels a scheduled account erasure.
   */
  onSignIn: (userId: string) => Promise<void> = () => Promise.resolve();

  /** The counter of failed sign-ins for an email (a hash: the table holds no email). */
  static emailLimitKey(email: string): string {
    return `login:email:${sha256(`login-email:${normaliseEmail(email)}`)}`;
  }

  async login(emailInput: string, password: string, clientKey: string): Promise<LoginResult> {
    const email = normaliseEmail(emailInput);
    const now = Date.now();
    // Per client the limit is wider: a household behind one address shares it. The counters are
    // keyed by hashes: the table holds no email or network address.
    const limits = [
      { key: AuthService.emailLimitKey(email), max: this.config.loginMaxAttempts },
      {
        key: `login:client:${sha256(`login-client:${clientKey}`)}`,
        max: this.config.loginMaxAttempts * 5,
      },
    ];
    await this.requireAttemptsLeft(limits, 'sign-ins');
    const user = await this.usersRepo.findByEmail(email);
    const valid = await argon2.verify(user?.password_hash ?? (await dummyHash), password);
    if (!user || !valid) {
      await this.recordFailedAttempt(limits.map((l) => l.key));
      throw new DomainError('INVALID_CREDENTIALS', 'Wrong email or password');
    }
    await this.repo.clearFailures(limits[0]?.key ?? '');
    await this.onSignIn(user.id);
    const token = newSecret('pus_');
    const expiresAt = now + this.config.sessionDays * 24 * 3600 * 1000;
    await this.repo.insertSession({
      id: randomUUID(),
      token_hash: sha256(token),
      user_id: user.id,
      created_at: now,
      expires_at: expiresAt,
    });
    return { token, expiresAt, user: toUserView(user) };
  }

  /**
   * Refuses (429) when any counter reached its limit of failures within the login window. The
   * counters live in the database, so every process sees them; share-link passwords use them too.
   */
  async requireAttemptsLeft(limits: { key: string; max: number }[], what: string): Promise<void> {
    const windowStart = Date.now() - this.config.loginWindowSeconds * 1000;
    for (const { key, max } of limits) {
      if ((await this.repo.failureCount(key, windowStart)) >= max) {
        throw new DomainError(
          'TOO_MANY_ATTEMPTS',
          `Too many failed ${what}; try again in ${Math.ceil(this.config.loginWindowSeconds / 60)} minutes`,
        );
      }
    }
  }

  async recordFailedAttempt(keys: string[]): Promise<void> {
    const now = Date.now();
    const windowStart = now - this.config.loginWindowSeconds * 1000;
    for (const key of keys) await this.repo.recordFailure(key, now, windowStart);
  }

  /** Forgets failure counters whose window has passed. */
  async purgeStaleAttempts(): Promise<void> {
    await this.repo.deleteFailuresBefore(Date.now() - this.config.loginWindowSeconds * 1000);
  }

  /** Deletes the records of sessions that have ended (hourly, `session-expiry`). */
  async purgeExpiredSessions(): Promise<void> {
    await this.repo.deleteExpiredSessions(Date.now());
  }

  async logout(token: string): Promise<void> {
    await this.repo.deleteSession(sha256(token));
  }

  async actorFromSession(token: string): Promise<Actor | null> {
    const found = await this.repo.findSession(sha256(token));
    if (!found || (found.expiresAt !== null && found.expiresAt < Date.now())) return null;
    return { userId: found.userId, isAdmin: found.isAdmin };
  }

  async actorFromApiKey(key: string): Promise<Actor | null> {
    const found = await this.repo.findApiKey(sha256(key));
    return found ? { userId: found.userId, isAdmin: found.isAdmin } : null;
  }

  async createApiKey(
    actor: Actor,
    name: string,
  ): Promise<{ id: string; name: string; key: string }> {
    const key = newSecret('pua_');
    const id = randomUUID();
    await this.repo.insertApiKey({
      id,
      user_id: actor.userId,
      name,
      key_hash: sha256(key),
      created_at: Date.now(),
    });
    return { id, name, key };
  }

  async listApiKeys(actor: Actor): Promise<{ id: string; name: string; createdAt: string }[]> {
    const rows = await this.repo.listApiKeys(actor.userId);
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      createdAt: new Date(r.created_at).toISOString(),
    }));
  }

  async deleteApiKey(actor: Actor, id: string): Promise<void> {
    if (!(await this.repo.deleteApiKey(actor.userId, id))) throw notFound('API key');
  }
}
