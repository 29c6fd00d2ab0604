// Reads the JSON documents of a PixelUnion export (docs/export-format.md), keeping only what the
// import needs. Lenient: a field that is missing or malformed is left out, never fatal; a
// document without what it cannot do without is reported as ignored, with the reason.
import { z } from 'zod';
import type { AssetVisibility } from '../../db/db.types.js';
import { exportRootOf, readableExportVersion, type ExportDocument } from './takeout.pixelunion.js';

const instant = z.string().transform((text, ctx) => {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: 'not a date' });
    return z.NEVER;
  }
  return ms;
});
const instantOrNull = instant.nullable().catch(null);
const sourceName = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/u);
const text = z.string().max(100_000);
// A path relative to the export's root, never leaving it.
const relativePath = z
  .string()
  .min(1)
  .max(4096)
  .transform((p) => p.normalize('NFC'))
  .refine((p) => p.split('/').every((s) => s !== '' && s !== '.' && s !== '..'), 'unsafe path');
const localPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?$/u;
const lenientList = <T extends z.ZodType>(item: T) =>
  z
    .array(item.nullable().catch(null))
    .catch([])
    .transform((items) => items.filter((i): i is NonNullable<z.output<T>> => i !== null));

const assetSchema = z.object({
  id: z.string().min(1).max(200),
  file: z.object({
    path: relativePath.nullable(),
    originalFileName: text.nullable().catch(null),
    sha1: z
      .string()
      .regex(/^[0-9a-f]{40}$/iu)
      .transform((s) => s.toLowerCase())
      .nullable()
      .catch(null),
    createdAt: instantOrNull,
    modifiedAt: instantOrNull,
  }),
  motion: z
    .object({ path: relativePath.nullable().catch(null) })
    .nullable()
    .catch(null),
  date: z
    .object({
      takenAt: instant,
      localDateTime: z.string().regex(localPattern),
      utcOffsetMinutes: z.number().int().min(-1080).max(1080).nullable(),
      source: sourceName,
    })
    .nullable()
    .catch(null),
  location: z
    .object({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
      altitude: z.number().nullable().catch(null),
      source: sourceName.catch('exif'),
    })
    .nullable()
    .catch(null),
  description: text.nullable().catch(null),
  isFavorite: z.boolean().catch(false),
  visibility: z.enum(['timeline', 'archive', 'locked']).optional().catch(undefined),
  isArchived: z.boolean().catch(false),
  isLocked: z.boolean().catch(false),
  isTrashed: z.boolean().catch(false),
  trashedAt: instantOrNull,
  albums: lenientList(
    z.object({ id: z.string().min(1), title: text, ownedByYou: z.boolean().catch(true) }),
  ),
});

const albumsSchema = z.object({
  albums: lenientList(
    z.object({
      id: z.string().min(1),
      title: text,
      description: text.nullable().catch(null),
      coverAssetId: z.string().nullable().catch(null),
      sortOrder: z.enum(['asc', 'desc']).catch('desc'),
      members: z.array(z.unknown()).catch([]),
      assets: lenientList(z.object({ assetId: z.string().min(1), addedAt: instant.catch(0) })),
    }),
  ),
  sharedWithYou: lenientList(
    z.object({
      title: text.catch(''),
      owner: z
        .object({ name: z.string().nullable().catch(null) })
        .nullable()
        .catch(null),
    }),
  ),
});

const sharesSchema = z.object({ links: z.array(z.unknown()).catch([]) });

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const ignored = (detail: string): ExportDocument => ({ kind: 'pixelunion-ignored', detail });

/** What is wrong with a document, in a few words (its first problem). */
function problem(error: z.ZodError): string {
  const first = error.issues[0];
  return first ? `${first.path.join('.') || 'document'}: ${first.message}` : 'invalid';
}

/**
 * A PixelUnion export's JSON document read from `value` (parsed JSON) found at archive path
 * `entryPath`; null when it is not one (no `format` starting with `pixelunion.`).
 */
export function readExportDocument(value: unknown, entryPath: string): ExportDocument | null {
  if (!isObject(value) || typeof value.format !== 'string') return null;
  const format = value.format;
  if (!format.startsWith('pixelunion.')) return null;
  if (typeof value.version !== 'number' || value.version > readableExportVersion) {
    return ignored(
      `PixelUnion export: ${format} version ${String(value.version)}, newer than version ${readableExportVersion} which this server reads`,
    );
  }
  switch (format) {
    case 'pixelunion.asset':
      return assetOf(value, entryPath);
    case 'pixelunion.albums': {
      const parsed = albumsSchema.safeParse(value);
      if (!parsed.success)
        return ignored(`PixelUnion export: albums.json unusable (${problem(parsed.error)})`);
      return {
        kind: 'pixelunion-albums',
        albums: parsed.data.albums.map((a) => ({
          id: a.id,
          title: a.title,
          description: a.description,
          coverAssetId: a.coverAssetId,
          sortOrder: a.sortOrder,
          members: a.members.length,
          assets: a.assets
            .map((x): [string, number] => [x.assetId, x.addedAt])
            .sort((x, y) => x[1] - y[1]),
        })),
        sharedWithYou: parsed.data.sharedWithYou.map((s) => ({
          title: s.title,
          owner: s.owner?.name ?? null,
        })),
      };
    }
    case 'pixelunion.shares': {
      const links = sharesSchema.parse(value).links.length;
      return { kind: 'pixelunion-shares', links };
    }
    case 'pixelunion.account':
      return ignored(
        'PixelUnion export: account details (not imported: your account here stays as it is)',
      );
    default:
      return ignored(`PixelUnion export: ${format} document, not imported`);
  }
}

function assetOf(value: Record<string, unknown>, entryPath: string): ExportDocument {
  const parsed = assetSchema.safeParse(value);
  if (!parsed.success) {
    return ignored(`PixelUnion export: photo JSON unusable (${problem(parsed.error)})`);
  }
  const doc = parsed.data;
  if (doc.file.path === null) {
    return ignored(
      'PixelUnion export: its original is not in the export (it could not be read when the export was made)',
    );
  }
  const root = rootOfDocument(entryPath, doc.file.path);
  const inArchive = (relative: string) => (root === '' ? relative : `${root}/${relative}`);
  const visibility: AssetVisibility =
    doc.visibility ?? (doc.isLocked ? 'locked' : doc.isArchived ? 'archive' : 'timeline');
  return {
    kind: 'pixelunion-asset',
    id: doc.id,
    file: inArchive(doc.file.path),
    motion: doc.motion?.path ? inArchive(doc.motion.path) : null,
    sha1: doc.file.sha1,
    name: doc.file.originalFileName?.replaceAll('/', '_').trim() || null,
    fileCreatedAt: doc.file.createdAt,
    fileModifiedAt: doc.file.modifiedAt,
    date: doc.date,
    location: doc.location,
    description: doc.description,
    isFavorite: doc.isFavorite,
    visibility,
    trashedAt: doc.trashedAt ?? (doc.isTrashed ? Date.now() : null),
    albums: doc.albums.filter((a) => a.ownedByYou).map((a) => ({ id: a.id, title: a.title })),
  };
}

/**
 * The root a document's paths are relative to: the JSON of `2023/10/X.jpg` is
 * `<root>/2023/10/X.jpg.json`; failing that, the `PixelUnion export <date>` folder it is in.
 */
function rootOfDocument(entryPath: string, filePath: string): string {
  const own = `${filePath}.json`;
  if (entryPath === own) return '';
  if (entryPath.endsWith(`/${own}`)) return entryPath.slice(0, -own.length - 1);
  return exportRootOf(entryPath) ?? '';
}
