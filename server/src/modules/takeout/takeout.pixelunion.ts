// A PixelUnion export (docs/export-format.md) as the import sees it: where its root folder is,
// which of its files are for people and other tools only, what its documents become once read
// (takeout.pixelunion.read.ts), and the upload each photo's document makes.
import type { AssetVisibility } from '../../db/db.types.js';
import type { ExactDate, ImportedFacts } from '../assets/assets.imported.js';

/** The version of the export format this server reads. */
export const readableExportVersion = 1;

/** `PixelUnion export 2026-11-27`: the folder every path of an export's parts starts with. */
const ROOT_SEGMENT = /^PixelUnion export \d{4}-\d{2}-\d{2}$/u;

/**
 * The export root of an archive path: everything up to and including its `PixelUnion export
 * <date>` folder (usually the first one), or null for a path outside any export.
 */
export function exportRootOf(path: string): string | null {
  const segments = path.split('/');
  const at = segments.slice(0, -1).findIndex((s) => ROOT_SEGMENT.test(s));
  return at < 0 ? null : segments.slice(0, at + 1).join('/');
}

/** The folder below an export's root: `PixelUnion export 2026-11-27/2023/10` → `2023/10`. */
export function folderInExport(folder: string): string | null {
  const root = exportRootOf(`${folder}/x`);
  return root === null ? null : folder.slice(root.length + 1);
}

/** Why a file of an export is not imported, when its path alone says so; null otherwise. */
export function ignoredInExport(path: string): string | null {
  const root = exportRootOf(path);
  if (root === null) return null;
  const rest = path.slice(root.length + 1);
  if (rest.startsWith('thumbnails/')) return 'PixelUnion export: thumbnail (made again on import)';
  if (/\.xmp$/iu.test(rest)) {
    return 'PixelUnion export: XMP sidecar for other photo tools (its .json is what is imported)';
  }
  if (rest === 'index.html') return 'PixelUnion export: the offline page, for reading the export';
  if (rest === 'README.txt') return 'PixelUnion export: its read-me';
  return null;
}

/** Root-level documents (albums.json, shares.json) may be larger than a photo's JSON. */
export function largeDocumentAllowed(path: string): boolean {
  const root = exportRootOf(path);
  return root !== null && !path.slice(root.length + 1).includes('/');
}

/** One photo or video of the export, as the import needs it (paths are archive paths). */
export interface ExportAsset {
  kind: 'pixelunion-asset';
  /** Its id on the exporting server (albums.json names assets by it). */
  id: string;
  file: string;
  motion: string | null;
  sha1: string | null;
  name: string | null;
  fileCreatedAt: number | null;
  fileModifiedAt: number | null;
  date: ExactDate | null;
  location: { latitude: number; longitude: number; altitude: number | null; source: string } | null;
  description: string | null;
  isFavorite: boolean;
  visibility: AssetVisibility;
  trashedAt: number | null;
  /** The owner's own albums holding it (others' albums are not part of the import). */
  albums: { id: string; title: string }[];
}

/** An album of the owner, from albums.json; `assets` are [exported asset id, addedAt ms]. */
export interface ExportAlbum {
  id: string;
  title: string;
  description: string | null;
  coverAssetId: string | null;
  sortOrder: 'asc' | 'desc';
  members: number;
  assets: [string, number][];
}

export interface ExportAlbums {
  kind: 'pixelunion-albums';
  albums: ExportAlbum[];
  /** Albums of other people the owner was a member of: reported, not imported. */
  sharedWithYou: { title: string; owner: string | null }[];
}

export interface ExportShares {
  kind: 'pixelunion-shares';
  links: number;
}

/** What a JSON of an export is; `pixelunion-ignored` says why it is not imported. */
export type ExportDocument =
  ExportAsset | ExportAlbums | ExportShares | { kind: 'pixelunion-ignored'; detail: string };

/** The upload of an exported asset: its name, file times and every fact the export held. */
export function exportedUpload(doc: ExportAsset, entryName: string) {
  const facts: ImportedFacts = {
    isFavorite: doc.isFavorite,
    visibility: doc.visibility,
    // The date, place and description are kept exactly when the export had a date to keep.
    keep: doc.date !== null,
  };
  if (doc.date) facts.date = doc.date;
  if (doc.location) facts.location = doc.location;
  if (doc.description !== null) facts.description = doc.description;
  if (doc.trashedAt !== null) facts.trashedAt = doc.trashedAt;
  if (doc.sha1 !== null) facts.sha1 = doc.sha1;
  return {
    filename: doc.name ?? entryName,
    facts,
    fileCreatedAt: doc.fileCreatedAt === null ? undefined : new Date(doc.fileCreatedAt),
    fileModifiedAt: doc.fileModifiedAt === null ? undefined : new Date(doc.fileModifiedAt),
  };
}
