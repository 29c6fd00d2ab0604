// Test support: a generated export with every entry of its parts listed.
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listParts, type ListedEntry } from './export.read.js';
import { generateTakeoutExport, type ExpectedAsset, type GeneratedExport } from './export.js';

export interface Generated {
  /** Where the parts (and files written by toFile) are. */
  dir: string;
  gen: GeneratedExport;
  entries: ListedEntry[];
  byPath: Map<string, ListedEntry>;
}

export const sha = (b: Buffer | null): string =>
  createHash('sha256')
    .update(b ?? '')
    .digest('hex');

/** Generates a 3-part export (seed 7) into `dir` and lists it. */
export async function generateAndList(dir: string, format: 'zip' | 'tgz'): Promise<Generated> {
  const gen = await generateTakeoutExport({ dir, format, parts: 3, seed: 7 });
  const entries = await listParts(gen.parts);
  return { dir, gen, entries, byPath: new Map(entries.map((e) => [e.path, e])) };
}

export function entry(g: Generated, path: string): ListedEntry {
  const e = g.byPath.get(path);
  if (!e) throw new Error(`no entry ${path}`);
  return e;
}

export function asset(g: Generated, key: string): ExpectedAsset {
  const a = g.gen.assets.find((x) => x.key === key);
  if (!a) throw new Error(`no asset ${key}`);
  return a;
}

/** Writes an entry's bytes to a file of its own (for sniffFile, exiftool). */
export async function toFile(g: Generated, e: ListedEntry, name: string): Promise<string> {
  const path = join(g.dir, `${String(e.part)}-${name}`);
  await writeFile(path, e.data ?? Buffer.alloc(0));
  return path;
}
