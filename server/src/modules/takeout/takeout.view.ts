import { z } from 'zod';
import type { TakeoutImportRow, TakeoutOutcome, TakeoutPartRow } from '../../db/db.types.js';

export const progressSchema = z.object({
  id: z.string(),
  source: z
    .enum(['google-takeout', 'pixelunion'])
    .describe(
      'What the archives are: a Google Takeout or a PixelUnion export (detected when read)',
    ),
  status: z.enum([
    'uploading',
    'queued',
    'indexing',
    'matching',
    'importing',
    'done',
    'failed',
    'cancelled',
  ]),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  parts: z.array(
    z.object({
      id: z.string(),
      fileName: z.string(),
      size: z.number(),
      status: z.enum(['uploaded', 'indexed', 'failed']),
      format: z.string().nullable(),
      error: z.string().nullable().describe('Why the archive could not be read (to the end)'),
    }),
  ),
  counts: z
    .object({
      entries: z.number().describe('Every entry indexed in the archives'),
      media: z.number().describe('Photo and video files (by name; content is checked on import)'),
      sidecars: z.number(),
      matched: z.number().describe('Media files that found their JSON metadata'),
      albums: z.number(),
      imported: z.number(),
      duplicates: z.number(),
      motion: z.number().describe('Video parts of live photos, joined to their still'),
      skipped: z.number(),
      failed: z.number(),
      ignored: z.number().describe('Not media: HTML, print orders, other JSON'),
      refused: z.number().describe('Unsafe entries: paths leaving the archive, links, bombs'),
      pending: z.number().describe('Media files not imported yet'),
    })
    .describe('Live progress, counted from the index'),
});
export type TakeoutProgress = z.infer<typeof progressSchema>;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function toProgress(
  row: TakeoutImportRow,
  parts: readonly TakeoutPartRow[],
  counts: readonly { role: string; outcome: TakeoutOutcome | null; count: number | string }[],
  found: { albums: number; matched: number },
): TakeoutProgress {
  const sum = (match: (c: { role: string; outcome: TakeoutOutcome | null }) => boolean) =>
    counts.filter(match).reduce((total, c) => total + Number(c.count), 0);
  const media = (outcome: TakeoutOutcome | null) =>
    sum((c) => c.role === 'media' && c.outcome === outcome);
  return {
    id: row.id,
    source: row.source,
    status: row.status,
    error: row.error,
    createdAt: new Date(row.created_at).toISOString(),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    parts: parts.map((p) => ({
      id: p.id,
      fileName: p.file_name,
      size: p.size,
      status: p.status,
      format: p.format,
      error: p.error,
    })),
    counts: {
      entries: sum(() => true),
      media: sum((c) => c.role === 'media'),
      sidecars: sum((c) => c.role === 'sidecar'),
      matched: found.matched,
      albums: found.albums,
      imported: media('imported'),
      duplicates: media('duplicate'),
      motion: media('motion'),
      skipped: media('skipped'),
      failed: media('failed'),
      ignored: sum((c) => c.outcome === 'ignored'),
      refused: sum((c) => c.outcome === 'refused'),
      pending: media(null),
    },
  };
}
