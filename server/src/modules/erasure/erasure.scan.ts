import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { BlobStore } from '../../storage/blob-store.js';
import type { ErasureRepo } from './erasure.repo.js';

/**
 * The audit behind the erasure test: what identifies one user (read before the erasure), then a
 * search for any of it in every row of every table of the live schema, every key and byte of the
 * blob store, every file and folder name under the data directory and, on SQLite, the raw bytes
 * of the database file. Tables, blob folders and files are enumerated, never listed by hand, so a
 * feature that stores user data somewhere new makes the test fail until erasure covers it.
 */

export interface Needle {
  value: string;
  what: string;
}

export interface UserTraces {
  needles: Needle[];
  /** SHA-1 (hex) of the user's originals: a file with these bytes is one of their photos. */
  checksums: Map<string, string>;
}

export interface Finding {
  place: 'table' | 'blob' | 'file' | 'database file';
  where: string;
  what: string;
  value: string;
}

const ownerColumns = ['owner_id', 'user_id'];

/** Columns whose values identify the user when the row is theirs (beyond the row's id). */
const identifying: Record<string, Record<string, string>> = {
  users: { email: 'email' },
  assets: { checksum: 'checksum', original_file_name: 'original file name' },
  share_links: { key: 'share link key', key_hash: 'share link key hash' },
  sessions: { token_hash: 'session token hash' },
  api_keys: { key_hash: 'API key hash' },
  resumable_uploads: { filename: 'upload file name' },
};

/** Ids that are strings long enough to mean something (numeric ids like "3" would match anything). */
const idOf = (value: unknown): string | null =>
  typeof value === 'string' && value.length >= 8 ? value : null;

/** Columns that make a row part of another (an import's part, a link's event), not a reference. */
const isParentColumn = (column: string): boolean =>
  column.endsWith('_id') && !column.endsWith('asset_id') && !ownerColumns.includes(column);

const text = (value: unknown): string | null => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return null;
};

/**
 * Everything that names the user: their id and email, and the id of every row they own (any
 * table with an owner_id or user_id column), with the identifying columns of known tables, and
 * what hangs from those rows by id (parts of their imports, events of their links, …).
 */
export async function tracesOf(
  repo: ErasureRepo,
  userId: string,
  extra: readonly Needle[] = [],
): Promise<UserTraces> {
  const needles = new Map<string, string>([[userId, 'user id']]);
  const checksums = new Map<string, string>();
  const tables = new Map<string, Record<string, unknown>[]>();
  for (const name of await repo.tableNames()) tables.set(name, await repo.readTable(name));

  for (const [table, rows] of tables) {
    for (const row of rows) {
      const owned =
        (table === 'users' && row.id === userId) ||
        ownerColumns.some((column) => row[column] === userId);
      if (!owned) continue;
      const id = idOf(row.id);
      if (id !== null && id !== userId) needles.set(id, `${table}.id`);
      for (const [column, what] of Object.entries(identifying[table] ?? {})) {
        const value = idOf(row[column]);
        if (value) needles.set(value, what);
      }
      if (table === 'assets' && typeof row.checksum === 'string') {
        checksums.set(row.checksum, `original ${text(row.original_file_name) ?? ''}`);
      }
    }
  }
  // Rows that belong to the user's rows: parts of their imports, events of their links, ….
  const parents = new Set(needles.keys());
  for (const [table, rows] of tables) {
    for (const row of rows) {
      const child = Object.entries(row).some(
        ([column, value]) =>
          isParentColumn(column) && typeof value === 'string' && parents.has(value),
      );
      const id = idOf(row.id);
      if (child && id !== null && !needles.has(id)) {
        needles.set(id, `${table}.id`);
      }
      if (child && table === 'takeout_parts' && typeof row.file_name === 'string') {
        needles.set(row.file_name, 'Takeout part name');
      }
    }
  }
  for (const { value, what } of extra) needles.set(value, what);
  return {
    needles: [...needles].map(([value, what]) => ({ value, what })),
    checksums,
  };
}

function search(haystack: string, needles: readonly Needle[]): Needle[] {
  const lower = haystack.toLowerCase();
  return needles.filter((n) => lower.includes(n.value.toLowerCase()));
}

function searchBytes(bytes: Buffer, needles: readonly Needle[]): Needle[] {
  return needles.filter((n) => bytes.includes(n.value) || bytes.includes(n.value.toLowerCase()));
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const sha1 = (bytes: Buffer): string => createHash('sha1').update(bytes).digest('hex');

/** Files larger than this are only checked by name and checksum. */
const contentSearchLimit = 64 * 1024 * 1024;

function checkContent(
  bytes: Buffer,
  traces: UserTraces,
  found: (what: string, value: string) => void,
): void {
  const original = traces.checksums.get(sha1(bytes));
  if (original) found(original, 'same bytes');
  if (bytes.length <= contentSearchLimit) {
    for (const n of searchBytes(bytes, traces.needles)) found(`${n.what} in content`, n.value);
  }
}

async function walk(dir: string, out: { path: string; isFile: boolean }[]): Promise<void> {
  let entries: fs.Dirent[];
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    out.push({ path: full, isFile: entry.isFile() });
    if (entry.isDirectory()) await walk(full, out);
  }
}

export interface ScanTargets {
  repo: ErasureRepo;
  blobs: BlobStore;
  dataDir: string;
  /** The SQLite file (and its -wal), read as raw bytes; searched, not walked as a data file. */
  databaseFiles?: readonly string[];
}

/** Every place where a trace of the user is found; empty when the erasure was complete. */
export async function scanForTraces(targets: ScanTargets, traces: UserTraces): Promise<Finding[]> {
  const findings: Finding[] = [];
  const { needles } = traces;

  for (const table of await targets.repo.tableNames()) {
    const rows = await targets.repo.readTable(table);
    rows.forEach((row, index) => {
      for (const [column, value] of Object.entries(row)) {
        const haystack =
          Buffer.isBuffer(value) || value instanceof Uint8Array
            ? Buffer.from(value).toString('latin1')
            : text(value);
        if (haystack === null) continue;
        for (const n of search(haystack, needles)) {
          findings.push({
            place: 'table',
            where: `${table}[${index}].${column} = ${haystack.slice(0, 200)}`,
            what: n.what,
            value: n.value,
          });
        }
      }
    });
  }

  for await (const key of targets.blobs.list('')) {
    for (const n of search(key, needles)) {
      findings.push({ place: 'blob', where: key, what: `${n.what} in key`, value: n.value });
    }
    const bytes = await readAll(targets.blobs.read(key));
    checkContent(bytes, traces, (what, value) => {
      findings.push({ place: 'blob', where: key, what, value });
    });
  }

  const database = new Set((targets.databaseFiles ?? []).map((f) => path.resolve(f)));
  const entries: { path: string; isFile: boolean }[] = [];
  await walk(targets.dataDir, entries);
  for (const entry of entries) {
    if (database.has(path.resolve(entry.path)) || /\.sqlite(-wal|-shm|-journal)?$/.test(entry.path))
      continue;
    const relative = path.relative(targets.dataDir, entry.path);
    for (const n of search(relative, needles)) {
      findings.push({ place: 'file', where: relative, what: `${n.what} in name`, value: n.value });
    }
    if (!entry.isFile) continue;
    const bytes = await fsp.readFile(entry.path).catch(() => null);
    if (!bytes) continue;
    checkContent(bytes, traces, (what, value) => {
      findings.push({ place: 'file', where: relative, what, value });
    });
  }

  for (const file of database) {
    const bytes = await fsp.readFile(file).catch(() => null);
    if (!bytes) continue;
    for (const n of searchBytes(bytes, needles)) {
      findings.push({
        place: 'database file',
        where: path.basename(file),
        what: n.what,
        value: n.value,
      });
    }
  }
  return findings;
}

/** One line per finding, for a test's failure message. */
export const describeFindings = (findings: readonly Finding[]): string =>
  findings.map((f) => `${f.place} ${f.where}: ${f.what} (${f.value})`).join('\n');
