import { randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import { DomainError, notFound } from '../../errors.js';
import type { UserRow } from '../../db/db.types.js';
import { requireAdmin, type Actor } from '../../access/access.service.js';
import type { UsersRepo } from './users.repo.js';

export interface UserView {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  quotaBytes: number | null;
  createdAt: string;
  /** New uploads lose their location (GPS, place names) before they are stored. */
  stripLocation: boolean;
}

/** What users may change of their own account. */
export interface OwnSettings {
  stripLocation?: boolean;
}

export function toUserView(user: UserRow): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    isAdmin: user.is_admin === 1,
    quotaBytes: user.quota_bytes,
    createdAt: new Date(user.created_at).toISOString(),
    stripLocation: user.strip_location === 1,
  };
}

export interface NewUser {
  email: string;
  password: string;
  name: string;
  isAdmin?: boolean;
  quotaBytes?: number | null;
}

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

export class UsersService {
  constructor(private readonly repo: UsersRepo) {}

  async create(input: NewUser): Promise<UserView> {
    const email = normaliseEmail(input.email);
    if (await this.repo.findByEmail(email)) {
      throw new DomainError('EMAIL_TAKEN', `A user with the email ${email} already exists`);
    }
    const user: UserRow = {
      id: randomUUID(),
      email,
      name: input.name.trim(),
      password_hash: await argon2.hash(input.password, { type: argon2.argon2id }),
      is_admin: input.isAdmin ? 1 : 0,
      quota_bytes: input.quotaBytes ?? null,
      created_at: Date.now(),
      erasure_requested_at: null,
      erasure_due_at: null,
      erasure_receipt_hash: null,
      strip_location: 0,
    };
    await this.repo.insert(user);
    return toUserView(user);
  }

  async createByAdmin(actor: Actor, input: NewUser): Promise<UserView> {
    requireAdmin(actor);
    return this.create(input);
  }

  count(): Promise<number> {
    return this.repo.count();
  }

  async get(id: string): Promise<UserView> {
    const user = await this.repo.findById(id);
    if (!user) throw notFound('User');
    return toUserView(user);
  }

  async list(actor: Actor): Promise<UserView[]> {
    requireAdmin(actor);
    return (await this.repo.list()).map(toUserView);
  }

  /** Everyone else on this server, to pick whom to share with (any signed-in user may ask). */
  async directory(actor: Actor): Promise<{ id: string; name: string; email: string }[]> {
    const users = await this.repo.list();
    return users
      .filter((u) => u.id !== actor.userId)
      .map((u) => ({ id: u.id, name: u.name, email: u.email }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async setQuota(actor: Actor, id: string, quotaBytes: number | null): Promise<UserView> {
    requireAdmin(actor);
    await this.get(id);
    await this.repo.setQuota(id, quotaBytes);
    return this.get(id);
  }

  async updateOwnSettings(id: string, settings: OwnSettings): Promise<UserView> {
    await this.get(id);
    if (settings.stripLocation !== undefined) {
      await this.repo.setStripLocation(id, settings.stripLocation);
    }
    return this.get(id);
  }

  /** Whether the user's new uploads lose their location before they are stored. */
  async stripsLocation(id: string): Promise<boolean> {
    const user = await this.repo.findById(id);
    if (!user) throw notFound('User');
    return user.strip_location === 1;
  }

  /**
   * What an upload needs to know: without a quota the sum of every file (a scan of all the
   * user's assets) is not computed, so that large libraries and imports do not pay for it.
   */
  async quotaUsage(id: string): Promise<{ usedBytes: number; quotaBytes: number | null }> {
    const user = await this.repo.findById(id);
    if (!user) throw notFound('User');
    if (user.quota_bytes === null) return { usedBytes: 0, quotaBytes: null };
    return { usedBytes: await this.repo.usageBytes(id), quotaBytes: user.quota_bytes };
  }

  async usage(id: string): Promise<{ usedBytes: number; quotaBytes: number | null }> {
    const user = await this.repo.findById(id);
    if (!user) throw notFound('User');
    return { usedBytes: await this.repo.usageBytes(id), quotaBytes: user.quota_bytes };
  }
}
