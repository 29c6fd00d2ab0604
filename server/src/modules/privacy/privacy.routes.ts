import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { ZodApp } from '../../http/zod-app.js';
import { PrivacyService } from './privacy.service.js';

const place = z.enum(['server', 'database', 'storage']);

const activitySchema = z.object({
  id: z.string(),
  name: z.string(),
  data: z.array(z.string()).describe('Which personal data, in plain words'),
  purpose: z.string(),
  legalBasis: z.object({
    code: z.enum(['contract', 'legitimate-interest', 'legal-obligation', 'consent']),
    article: z.string().describe('e.g. "GDPR art. 6(1)(b)"'),
    meaning: z.string(),
    reason: z.string().describe('Why the basis applies to this activity'),
  }),
  retention: z.string().describe('How long, from the running configuration'),
  where: z.array(z.object({ place, description: z.string() })),
  queues: z.array(z.string()).describe('Job queues whose work this is'),
  periodicTasks: z.array(z.string()).describe('Periodic tasks whose work this is'),
});

export const privacyStatementSchema = z.object({
  serverVersion: z.string(),
  storage: z.object({
    kind: z.enum(['local-folder', 'object-storage']),
    location: z.string().describe('Where the blob store says it is'),
    provider: z.string().nullable().describe('Object storage only: who runs it'),
    region: z.string().nullable(),
    country: z.string().nullable(),
    inEea: z.boolean().nullable(),
  }),
  residency: z.object({ setting: z.enum(['eu', 'off']), description: z.string() }),
  database: z.object({ kind: z.enum(['sqlite', 'postgres']), description: z.string() }),
  logs: z.object({
    destination: z.enum(['files', 'output']),
    retentionDays: z.number().nullable(),
    description: z.string(),
  }),
  retention: z.object({
    trashDays: z.number().describe('0: the trash is only emptied by its owner'),
    linkDefaultDays: z.number(),
    linkLogDays: z.number(),
    sessionDays: z.number(),
    erasureGraceDays: z.number(),
    loginWindowMinutes: z.number(),
    resumableUploadHours: z.number(),
    visitorPassHours: z.number(),
  }),
  optionalProcessing: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      description: z.string(),
      decidedBy: z.enum(['user', 'link-owner', 'administrator']),
      defaultOn: z.boolean(),
      on: z.boolean().nullable().describe('null: each user or link owner decides'),
      changedAt: z.string().describe('A page of the web app, or an environment variable'),
    }),
  ),
  outgoingConnections: z.object({
    statement: z.string(),
    destinations: z.array(z.string()),
  }),
  neverDone: z.array(z.string()),
  register: z.array(activitySchema),
});

export function privacyRoutes(app: ZodApp, ctx: AppContext): void {
  const privacy = new PrivacyService(ctx.config, ctx.blobs, ctx.database.dialect);
  app.get(
    '/api/privacy',
    {
      schema: {
        tags: ['privacy'],
        description:
          'Public (no sign-in): the processing register (every kind of processing of personal ' +
          'data, its purpose, legal basis and retention) with the facts of this server: where ' +
          'data is stored, which database, retention settings, optional processing.',
        security: [],
        response: { 200: privacyStatementSchema },
      },
    },
    () => privacy.statement(),
  );
}
