// Writes the parts of an export (zip or tgz), streaming, one entry at a time.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { EXPORT_TIME, ZipWriter, type ArchiveEntry } from './export.zip.js';

export type ArchiveFormat = 'zip' | 'tgz';

/** Google's part names: takeout-20261126T000000Z-001.zip … */
export function partFileName(index: number, format: ArchiveFormat): string {
  return `takeout-20261126T000000Z-${String(index + 1).padStart(3, '0')}.${format}`;
}

/** A stream of `size` zero bytes in 1 MB chunks. */
function* zeros(size: number): Generator<Buffer> {
  const chunk = Buffer.alloc(1 << 20);
  for (let left = size; left > 0; left -= chunk.length) {
    yield left >= chunk.length ? chunk : chunk.subarray(0, left);
  }
}

/** Joins tar's many 512-byte pieces into 256 kB chunks: gzip pays per chunk, not per byte. */
function coalesce(size = 256 << 10): Transform {
  let pending: Buffer[] = [];
  let length = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      pending.push(chunk);
      length += chunk.length;
      if (length < size) {
        callback();
        return;
      }
      const joined = Buffer.concat(pending);
      pending = [];
      length = 0;
      callback(null, joined);
    },
    flush(callback) {
      callback(null, Buffer.concat(pending));
    },
  });
}

async function writeTgz(
  file: string,
  entries: Iterable<ArchiveEntry> | AsyncIterable<ArchiveEntry>,
  level: number,
): Promise<void> {
  const pack = tar.pack();
  const done = pipeline(pack, coalesce(), createGzip({ level }), createWriteStream(file));
  try {
    for await (const entry of entries) {
      const { content } = entry;
      const header = { name: entry.path, mtime: EXPORT_TIME, mode: 0o644 };
      // The callback fires once the entry is in the pack's buffer, which waits for the reader.
      if (content.kind === 'symlink') {
        await new Promise<void>((resolve, reject) => {
          pack.entry(
            { ...header, type: 'symlink', linkname: content.target, mode: 0o777 },
            (err) => {
              if (err) reject(err);
              else resolve();
            },
          );
        });
      } else if (content.kind === 'bytes') {
        await new Promise<void>((resolve, reject) => {
          pack.entry(header, content.data, (err) => {
            if (err) reject(err);
            else resolve();
          });
        });
      } else {
        const sink = pack.entry({ ...header, size: content.size });
        for (const chunk of zeros(content.size)) {
          if (!sink.write(chunk)) await once(sink, 'drain');
        }
        sink.end(Buffer.alloc(0));
        await once(sink, 'finish');
      }
    }
    pack.finalize();
  } catch (err) {
    pack.destroy(err as Error);
    await done.catch(() => undefined);
    throw err;
  }
  await done;
}

async function writeZip(
  file: string,
  entries: Iterable<ArchiveEntry> | AsyncIterable<ArchiveEntry>,
): Promise<void> {
  const zip = new ZipWriter(file);
  try {
    for await (const entry of entries) await zip.add(entry);
    await zip.finish();
  } catch (err) {
    await zip.abort();
    throw err;
  }
}

export interface WritePartsOptions {
  dir: string;
  format: ArchiveFormat;
  parts: number;
  /** gzip level for tgz parts (default 6). */
  gzipLevel?: number;
}

/**
 * Writes parts 0…parts-1, one after the other; `entriesOf(part)` is asked for each part's
 * entries only when that part is written (so they can be made lazily).
 */
export async function writeParts(
  options: WritePartsOptions,
  entriesOf: (part: number) => Iterable<ArchiveEntry> | AsyncIterable<ArchiveEntry>,
): Promise<string[]> {
  await mkdir(options.dir, { recursive: true });
  const files: string[] = [];
  for (let part = 0; part < options.parts; part++) {
    const file = join(options.dir, partFileName(part, options.format));
    await rm(file, { force: true });
    if (options.format === 'zip') await writeZip(file, entriesOf(part));
    else await writeTgz(file, entriesOf(part), options.gzipLevel ?? 6);
    files.push(file);
  }
  return files;
}
