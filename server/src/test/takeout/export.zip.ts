// A small streaming zip writer for test exports. It writes what a careful library refuses to
// ('..' and absolute names, symbolic links), keeps nothing per entry in memory (the central
// directory is spooled to a temporary file), and switches to zip64 when needed.
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createDeflateRaw, crc32, deflateRawSync } from 'node:zlib';
import type { EntryContent } from './export.types.js';

/** The modification time of every entry: the export's date. */
export const EXPORT_TIME = new Date('2026-11-26T00:00:00Z');

export interface ArchiveEntry {
  path: string;
  content: EntryContent;
  /** Deflate the data (default: .json/.html/.txt entries and zero runs; media is stored). */
  compress?: boolean;
}

export const shouldCompress = (e: ArchiveEntry): boolean =>
  e.compress ?? (e.content.kind === 'zeros' || /\.(json|html|txt)$/i.test(e.path));

const U32 = 0xffffffff;
const S_IFREG = 0o100644;
const S_IFLNK = 0o120777;
const MADE_BY_UNIX = (3 << 8) | 45;
const UTF8_FLAG = 0x0800;

function dosDateTime(d: Date): { time: number; date: number } {
  const time = (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1);
  const date = ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate();
  return { time, date };
}

interface Payload {
  data: Buffer;
  crc: number;
  size: number;
  method: 0 | 8;
}

/** Deflates `size` zero bytes chunk by chunk: a 70 MB entry never exists in memory. */
async function deflateZeros(size: number): Promise<Payload> {
  const chunk = Buffer.alloc(1 << 20);
  const deflate = createDeflateRaw({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (c: Buffer) => parts.push(c));
  const ended = once(deflate, 'end');
  let crc = 0;
  for (let left = size; left > 0; left -= chunk.length) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    crc = crc32(piece, crc);
    if (!deflate.write(piece)) await once(deflate, 'drain');
  }
  deflate.end();
  await ended;
  return { data: Buffer.concat(parts), crc, size, method: 8 };
}

async function payload(entry: ArchiveEntry): Promise<Payload> {
  const { content } = entry;
  if (content.kind === 'zeros') return await deflateZeros(content.size);
  const raw = content.kind === 'symlink' ? Buffer.from(content.target) : content.data;
  const crc = crc32(raw);
  if (content.kind === 'bytes' && shouldCompress(entry)) {
    return { data: deflateRawSync(raw), crc, size: raw.length, method: 8 };
  }
  return { data: raw, crc, size: raw.length, method: 0 };
}

export class ZipWriter {
  private offset = 0;
  private count = 0;
  private cdSize = 0;
  private readonly out: WriteStream;
  private readonly cd: WriteStream;
  private readonly cdPath: string;
  private readonly stamp = dosDateTime(EXPORT_TIME);

  constructor(readonly file: string) {
    this.out = createWriteStream(file);
    this.cdPath = `${file}.central-directory.tmp`;
    this.cd = createWriteStream(this.cdPath);
  }

  private readonly buffers = new Map<WriteStream, { chunks: Buffer[]; length: number }>();

  /** Buffered: many small entries become few large writes. */
  private async write(stream: WriteStream, buf: Buffer): Promise<void> {
    let pending = this.buffers.get(stream);
    if (!pending) {
      pending = { chunks: [], length: 0 };
      this.buffers.set(stream, pending);
    }
    pending.chunks.push(buf);
    pending.length += buf.length;
    if (pending.length >= 1 << 18) await this.flush(stream);
  }

  private async flush(stream: WriteStream): Promise<void> {
    const pending = this.buffers.get(stream);
    if (!pending || pending.length === 0) return;
    const joined = Buffer.concat(pending.chunks);
    pending.chunks = [];
    pending.length = 0;
    if (!stream.write(joined)) await once(stream, 'drain');
  }

  async add(entry: ArchiveEntry): Promise<void> {
    const name = Buffer.from(entry.path, 'utf8');
    const { data, crc, size, method } = await payload(entry);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(UTF8_FLAG, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(this.stamp.time, 10);
    local.writeUInt16LE(this.stamp.date, 12);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const headerOffset = this.offset;
    await this.write(this.out, Buffer.concat([local, name]));
    await this.write(this.out, data);
    this.offset += local.length + name.length + data.length;

    const zip64 = headerOffset >= U32;
    const extra = Buffer.alloc(zip64 ? 12 : 0);
    if (zip64) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(8, 2);
      extra.writeBigUInt64LE(BigInt(headerOffset), 4);
    }
    const mode = entry.content.kind === 'symlink' ? S_IFLNK : S_IFREG;
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY_UNIX, 4);
    central.writeUInt16LE(zip64 ? 45 : 20, 6);
    local.copy(central, 8, 6, 26); // flags, method, time, date, crc, sizes
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE((mode << 16) >>> 0, 38);
    central.writeUInt32LE(zip64 ? U32 : headerOffset, 42);
    const record = Buffer.concat([central, name, extra]);
    await this.write(this.cd, record);
    this.cdSize += record.length;
    this.count++;
  }

  /** Appends the central directory and the end records, and closes the file. */
  async finish(): Promise<void> {
    await this.flush(this.cd);
    this.cd.end();
    await once(this.cd, 'close');
    const cdOffset = this.offset;
    for await (const chunk of createReadStream(this.cdPath)) {
      await this.write(this.out, chunk as Buffer);
    }
    await rm(this.cdPath, { force: true });
    this.offset += this.cdSize;
    const needs64 = this.count >= 0xffff || cdOffset >= U32 || this.cdSize >= U32;
    if (needs64) {
      const record = Buffer.alloc(56 + 20);
      record.writeUInt32LE(0x06064b50, 0);
      record.writeBigUInt64LE(44n, 4);
      record.writeUInt16LE(MADE_BY_UNIX, 12);
      record.writeUInt16LE(45, 14);
      record.writeBigUInt64LE(BigInt(this.count), 24);
      record.writeBigUInt64LE(BigInt(this.count), 32);
      record.writeBigUInt64LE(BigInt(this.cdSize), 40);
      record.writeBigUInt64LE(BigInt(cdOffset), 48);
      record.writeUInt32LE(0x07064b50, 56); // locator
      record.writeBigUInt64LE(BigInt(this.offset), 64);
      record.writeUInt32LE(1, 72);
      await this.write(this.out, record);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(Math.min(this.count, 0xffff), 8);
    end.writeUInt16LE(Math.min(this.count, 0xffff), 10);
    end.writeUInt32LE(Math.min(this.cdSize, U32), 12);
    end.writeUInt32LE(Math.min(cdOffset, U32), 16);
    await this.write(this.out, end);
    await this.flush(this.out);
    this.out.end();
    await once(this.out, 'close');
  }

  /** Closes and removes everything after a failure. */
  async abort(): Promise<void> {
    this.cd.destroy();
    this.out.destroy();
    await rm(this.cdPath, { force: true });
    await rm(this.file, { force: true });
  }
}
