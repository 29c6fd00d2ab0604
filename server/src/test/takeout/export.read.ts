// Lists the entries of written parts with independent readers (yauzl, tar-stream), for tests.
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import yauzl from 'yauzl';

export interface ListedEntry {
  /** 0-based part index. */
  part: number;
  path: string;
  kind: 'file' | 'symlink' | 'other';
  size: number;
  /** Deflated size (zip only). */
  compressedSize: number | null;
  /** The bytes, for entries up to `maxData` bytes; null above. */
  data: Buffer | null;
  /** A symbolic link's target. */
  target: string | null;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function listZip(file: string, part: number, maxData: number): Promise<ListedEntry[]> {
  // decodeStrings: false, or yauzl refuses '..' and absolute names (as an importer should).
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, decodeStrings: false }, (err, z) => {
      if (err) reject(err);
      else resolve(z);
    });
  });
  const out: ListedEntry[] = [];
  const read = async (entry: yauzl.Entry): Promise<void> => {
    const path = entry.fileNameRaw.toString('utf8');
    const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
    const kind = mode === S_IFLNK ? 'symlink' : 'file';
    let data: Buffer | null = null;
    if (entry.uncompressedSize <= maxData) {
      const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => {
        zip.openReadStream(entry, (err, s) => {
          if (err) reject(err);
          else resolve(s);
        });
      });
      data = await readAll(stream);
    }
    out.push({
      part,
      path,
      kind,
      size: entry.uncompressedSize,
      compressedSize: entry.compressedSize,
      data,
      target: kind === 'symlink' && data ? data.toString('utf8') : null,
    });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        read(entry).then(() => {
          zip.readEntry();
        }, reject);
      });
      zip.on('end', resolve);
      zip.on('error', reject);
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return out;
}

async function listTgz(file: string, part: number, maxData: number): Promise<ListedEntry[]> {
  const extract = tar.extract();
  const out: ListedEntry[] = [];
  const reading = pipeline(createReadStream(file), createGunzip(), extract);
  for await (const entry of extract) {
    const { header } = entry;
    const size = header.size;
    const data = size <= maxData ? await readAll(entry) : null;
    if (!data) entry.resume();
    const kind = header.type === 'symlink' ? 'symlink' : header.type === 'file' ? 'file' : 'other';
    out.push({
      part,
      path: header.name,
      kind,
      size,
      compressedSize: null,
      data,
      target: kind === 'symlink' ? header.linkname : null,
    });
  }
  await reading;
  return out;
}

/** Every entry of every part, in order. */
export async function listParts(parts: string[], maxData = 8 << 20): Promise<ListedEntry[]> {
  const out: ListedEntry[] = [];
  for (const [i, file] of parts.entries()) {
    out.push(
      ...(file.endsWith('.zip')
        ? await listZip(file, i, maxData)
        : await listTgz(file, i, maxData)),
    );
  }
  return out;
}
