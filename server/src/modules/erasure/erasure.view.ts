import { z } from 'zod';
import type { UserRow } from '../../db/db.types.js';

/** Counts of what an erasure removed, by kind; nothing in it identifies the erased user. */
export const erasureSummarySchema = z.object({
  assets: z.number().describe('Photos and videos, trash included'),
  photos: z.number(),
  videos: z.number(),
  bytes: z.number().describe('Bytes of the originals (live photos’ video parts included)'),
  albums: z.number().describe('Albums of the user, with their sharing'),
  sharedAlbumsLeft: z.number().describe('Other people’s albums the user was a member of'),
  shareLinks: z.number(),
  shareLinkEvents: z.number().describe('Entries of the share links’ use log'),
  sessions: z.number().describe('Sessions still open at erasure'),
  apiKeys: z.number().describe('API keys still there at erasure'),
  unfinishedUploads: z.number(),
  takeoutImports: z.number(),
  jobs: z.number().describe('Background jobs, pending or done, about the user’s data'),
});
export type ErasureSummary = z.infer<typeof erasureSummarySchema>;

export const emptySummary = (): ErasureSummary => ({
  assets: 0,
  photos: 0,
  videos: 0,
  bytes: 0,
  albums: 0,
  sharedAlbumsLeft: 0,
  shareLinks: 0,
  shareLinkEvents: 0,
  sessions: 0,
  apiKeys: 0,
  unfinishedUploads: 0,
  takeoutImports: 0,
  jobs: 0,
});

/** Reads a stored summary; kinds added later read as 0 in old receipts. */
export function parseSummary(json: string): ErasureSummary {
  const stored = z.record(z.string(), z.number()).safeParse(JSON.parse(json));
  return { ...emptySummary(), ...(stored.success ? stored.data : {}) };
}

export const receiptSchema = z.object({
  status: z
    .enum(['scheduled', 'erased'])
    .describe('scheduled: the account is still there and will be erased at dueAt'),
  requestedAt: z.string().nullable().describe('When the user asked; null when an admin erased'),
  dueAt: z.string().nullable(),
  erasedAt: z.string().nullable(),
  erasedBy: z.enum(['user', 'admin']).nullable(),
  deleted: erasureSummarySchema.nullable(),
});
export type ErasureReceipt = z.infer<typeof receiptSchema>;

export const statusSchema = z.object({
  scheduled: z.boolean(),
  requestedAt: z.string().nullable(),
  dueAt: z.string().nullable(),
  graceDays: z.number().describe('Days between a request and the erasure on this server'),
  cancelledBySignIn: z
    .boolean()
    .describe('The last request was cancelled because the user signed in during the grace period'),
});
export type ErasureStatus = z.infer<typeof statusSchema>;

export const requestedSchema = z.object({
  status: z.enum(['scheduled', 'erased']),
  requestedAt: z.string(),
  dueAt: z.string(),
  receiptToken: z
    .string()
    .describe('Shown once: reads the receipt at /api/erasure-receipts/{token}, now and after'),
  receiptPath: z.string().describe('/erasure-receipt/<token>: the receipt’s public page'),
  endedSessions: z.number().describe('Other sessions ended by the request'),
  revokedApiKeys: z.number().describe('API keys revoked by the request'),
  receipt: receiptSchema.nullable().describe('When erased at once (no grace period)'),
});
export type ErasureRequested = z.infer<typeof requestedSchema>;

export const adminErasedSchema = z.object({
  status: z
    .enum(['erased', 'pending'])
    .describe('pending: interrupted; the periodic erasure finishes it, the token stays valid'),
  receiptToken: z.string().describe('To pass on to the erased user; not stored in clear'),
  receiptPath: z.string(),
  receipt: receiptSchema.nullable(),
});
export type AdminErased = z.infer<typeof adminErasedSchema>;

export const iso = (ms: number | null): string | null =>
  ms === null ? null : new Date(ms).toISOString();

export const receiptPath = (token: string): string =>
  `/erasure-receipt/${encodeURIComponent(token)}`;

/** An account's state as its owner sees it. */
export function toStatus(user: UserRow, graceDays: number): ErasureStatus {
  return {
    scheduled: user.erasure_due_at !== null,
    requestedAt: iso(user.erasure_requested_at),
    dueAt: iso(user.erasure_due_at),
    graceDays,
    cancelledBySignIn: user.erasure_requested_at !== null && user.erasure_due_at === null,
  };
}
