/** Builders and helpers for the archive tests: small archives made in memory, then written out. */
import { createReadStream, readdirSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import tar, { type Header } from 'tar-stream';
import yazl from 'yazl';
import { scanArchive, type ScanOptions } from './archive.scan.js';
import { fileSource, type ArchiveSource } from './archive.source.js';
import type { ArchiveEntry, ArchiveVisitor } from './archive.types.js';

export interface ZipSpec {
  name: string;
  data?: Buffer | string;
  compress?: boolean;
  /** Unix mode, type bits included (0o120777 is a symlink). */
  mode?: number;
  directory?: boolean;
}

export async function buildZip(
  entries: readonly ZipSpec[],
  options: { zip64?: boolean } = {},
): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const spec of entries) {
    const mode = spec.mode === undefined ? {} : { mode: spec.mode };
    if (spec.directory) {
      zip.addEmptyDirectory(spec.name, mode);
    } else {
      const data = typeof spec.data === 'string' ? Buffer.from(spec.data) : (spec.data ?? EMPTY);
      zip.addBuffer(data, spec.name, {
        compress: spec.compress ?? true,
        forceZip64Format: options.zip64 ?? false,
        ...mode,
      });
    }
  }
  zip.end({ forceZip64Format: options.zip64 ?? false, comment: '' });
  return collectStream(zip.outputStream);
}

const EMPTY = Buffer.alloc(0);

export interface TarSpec extends Partial<Header> {
  name: string;
  data?: Buffer | string;
}

export async function buildTar(entries: readonly TarSpec[], gzip: boolean): Promise<Buffer> {
  const pack = tar.pack();
  const done = collectStream(pack);
  for (const { data, ...header } of entries) {
    if (data === undefined) pack.entry(header);
    else pack.entry(header, data);
  }
  pack.finalize();
  const bytes = await done;
  return gzip ? gzipSync(bytes) : bytes;
}

export async function collectStream(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    if (!(chunk instanceof Uint8Array)) throw new Error('expected bytes');
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(chunks);
}

/** Replaces every occurrence of `from` by `to` (same length): names yazl would not write. */
export function patchBytes(bytes: Buffer, from: string, to: string): Buffer {
  const needle = Buffer.from(from);
  const replacement = Buffer.from(to);
  if (needle.length !== replacement.length) throw new Error('patch must keep the length');
  let found = 0;
  for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) {
    replacement.copy(bytes, at);
    found += 1;
  }
  if (found === 0) throw new Error(`${from} not found`);
  return bytes;
}

/** Calls `patch` with the offset of `name`'s central directory header (signature PK\1\2). */
export function patchCentral(bytes: Buffer, name: string, patch: (at: number) => void): Buffer {
  for (let at = bytes.indexOf('PK\x01\x02', 0, 'latin1'); at !== -1;) {
    const length = bytes.readUInt16LE(at + 28);
    if (bytes.subarray(at + 46, at + 46 + length).toString() === name) {
      patch(at);
      return bytes;
    }
    at = bytes.indexOf('PK\x01\x02', at + 1, 'latin1');
  }
  throw new Error(`no central directory header for ${name}`);
}

export interface TempDir {
  path: string;
  write(name: string, bytes: Buffer): Promise<string>;
  remove(): Promise<void>;
}

export async function tempDir(): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), 'pixelunion-archive-'));
  return {
    path,
    async write(name, bytes) {
      const file = join(path, name);
      await writeFile(file, bytes);
      return file;
    },
    remove: () => rm(path, { recursive: true, force: true }),
  };
}

export interface Scanned {
  format: string;
  entries: number;
  files: Map<string, Buffer>;
  visited: ArchiveEntry[];
  refused: { path: string; index: number; reason: string }[];
}

/** Scans with a visitor that reads every file (or only those `read` accepts) into memory. */
export async function scanAll(
  source: ArchiveSource,
  options: ScanOptions & { read?: (entry: ArchiveEntry) => boolean } = {},
): Promise<Scanned> {
  const files = new Map<string, Buffer>();
  const visited: ArchiveEntry[] = [];
  const refused: Scanned['refused'] = [];
  const visitor: ArchiveVisitor = {
    async file(entry, open) {
      visited.push(entry);
      if (options.read && !options.read(entry)) return;
      files.set(entry.path, await collectStream(open()));
    },
    refused(entry, reason) {
      refused.push({ ...entry, reason });
      return Promise.resolve();
    },
  };
  const scanOptions = { limits: options.limits, signal: options.signal };
  const result = await scanArchive(source, visitor, scanOptions);
  return { ...result, files, visited, refused };
}

/** Open descriptors of this process (Linux), to prove that failed scans close theirs. */
export function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

/**
 * How the tests read an archive: `file`, the local file source; `ranged`, as object storage
 * serves a blob: each read a request of its own, whose bytes come later, in small odd-sized chunks.
 */
export type SourceKind = 'file' | 'ranged';
export const sourceKinds: readonly SourceKind[] = ['file', 'ranged'];

export interface RangedSource extends ArchiveSource {
  /** Reads asked for so far (one request each to object storage). */
  readonly requests: number;
  /** Bytes served so far. */
  readonly served: number;
}

let rangedOpen = 0;
/** Streams of ranged sources not yet closed: a scan that ended must have closed all of its own. */
export const rangedStreamsOpen = (): number => rangedOpen;

/**
 * The archive in `filePath` served by ranged reads. `failAfter`: every read fails once that many
 * bytes of it were served, as a dropped connection does.
 */
export function rangedSource(filePath: string, options: { failAfter?: number } = {}): RangedSource {
  let requests = 0;
  let served = 0;
  return {
    get requests() {
      return requests;
    },
    get served() {
      return served;
    },
    size: async () => (await stat(filePath)).size,
    read(range) {
      requests += 1;
      const out = new PassThrough();
      rangedOpen += 1;
      out.once('close', () => {
        rangedOpen -= 1;
      });
      let sent = 0;
      const cut = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          sent += chunk.length;
          served += chunk.length;
          const limit = options.failAfter;
          if (limit !== undefined && sent > limit) callback(new Error('connection reset by peer'));
          else setImmediate(callback, null, chunk);
        },
      });
      const file = createReadStream(filePath, {
        start: range?.start,
        end: range?.end,
        highWaterMark: 4093,
      });
      pipeline(file, cut, out).catch(() => {
        // The error reached `out`, whose reader sees it; or `out` was closed early on purpose.
      });
      return out;
    },
  };
}

export function sourceOf(kind: SourceKind, filePath: string): ArchiveSource {
  return kind === 'file' ? fileSource(filePath) : rangedSource(filePath);
}
