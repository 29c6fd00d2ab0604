import { z } from 'zod';
import type { ExportRow } from '../../db/db.types.js';
import { partFileName } from './export.names.js';
import type { ExportPartRow } from './export.repo.js';

export const exportSchema = z.object({
  id: z.string(),
  status: z
    .enum(['queued', 'building', 'ready', 'failed'])
    .describe('queued, then building, then ready (or failed, with error)'),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  expiresAt: z.string().describe('When the export and its parts are deleted'),
  partSizeBytes: z.number().describe('No part is larger, unless one file alone is'),
  progress: z.object({
    assets: z.number().describe('Photos and videos in the export'),
    assetsDone: z.number(),
  }),
  totalBytes: z.number().nullable().describe('All parts together, once ready'),
  parts: z.array(
    z.object({
      number: z.number(),
      size: z.number().describe('Bytes of the zip (its Content-Length)'),
      files: z.number(),
      fileName: z.string(),
      url: z.string().describe('GET it, whole or by Range'),
    }),
  ),
});
export type ExportView = z.infer<typeof exportSchema>;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function toExportView(row: ExportRow, parts: readonly ExportPartRow[]): ExportView {
  const ready = row.status === 'ready';
  return {
    id: row.id,
    status: row.status,
    error: row.error,
    createdAt: new Date(row.created_at).toISOString(),
    finishedAt: iso(row.finished_at),
    expiresAt: new Date(row.expires_at).toISOString(),
    partSizeBytes: row.part_size,
    progress: { assets: row.asset_count, assetsDone: row.assets_done },
    totalBytes: ready ? parts.reduce((sum, p) => sum + p.size, 0) : null,
    parts: ready
      ? parts.map((p) => ({
          number: p.part,
          size: p.size,
          files: p.entry_count,
          fileName: partFileName(row, p.part, parts.length),
          url: `/api/exports/${encodeURIComponent(row.id)}/parts/${p.part}`,
        }))
      : [],
  };
}
