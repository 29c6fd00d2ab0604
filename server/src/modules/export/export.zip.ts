import { Readable } from 'node:stream';
import type { ByteRange } from '../../storage/blob-store.js';

/** A file of a zip whose size and CRC-32 are known before any of its bytes are read. */
export interface ZipFile {
  /** The path inside the zip (forward slashes), already made safe. */
  path: string;
  size: number;
  crc32: number;
  /** Epoch ms; written in UTC so that the bytes never depend on the server's time zone. */
  modifiedAt: number;
  /** The file's bytes, or the inclusive range of them. */
  open(range: ByteRange): Readable;
}

const MAX32 = 0xffffffff;
const MAX16 = 0xffff;
const UTF8_FLAG = 0x0800;
const LOCAL_HEADER = 30;
const CENTRAL_HEADER = 46;
const EXTENDED_TIME = 9;
const ZIP64_END = 56 + 20;
const END = 22;
/** Unix, version 4.5 (ZIP64); external attributes: a regular file, rw-r--r--. */
const MADE_BY = (3 << 8) | 45;
const FILE_MODE = (0o100644 << 16) >>> 0;

/**
 * The most bytes a file can add to a zip besides its data: its local header, its central
 * directory record, each with every optional field. Parts are filled with this, so a part never
 * grows past its limit whatever offsets its files end up at.
 */
export const maxOverhead = (pathBytes: number): number =>
  LOCAL_HEADER + pathBytes + 20 + EXTENDED_TIME + CENTRAL_HEADER + pathBytes + 28 + EXTENDED_TIME;
export const maxEndBytes = ZIP64_END + END;

interface Placed<F extends ZipFile> {
  file: F;
  name: Buffer;
  /** Offset of the local header. */
  offset: number;
  headerLength: number;
}

const hasTime = (ms: number) => ms >= 0 && ms / 1000 <= 0x7fffffff;

/** DOS date and time of an instant, in UTC, clamped to the years the format can hold. */
function dosDateTime(ms: number): { date: number; time: number } {
  const d = new Date(
    Math.min(Math.max(ms, Date.UTC(1980, 0, 1)), Date.UTC(2107, 11, 31, 23, 59, 58)),
  );
  return {
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
  };
}

/** The extended-timestamp field (0x5455): the modification time in UTC seconds. */
function extendedTime(ms: number): Buffer {
  if (!hasTime(ms)) return Buffer.alloc(0);
  const field = Buffer.alloc(EXTENDED_TIME);
  field.writeUInt16LE(0x5455, 0);
  field.writeUInt16LE(5, 2);
  field.writeUInt8(1, 4);
  field.writeUInt32LE(Math.floor(ms / 1000), 5);
  return field;
}

function zip64Field(values: number[]): Buffer {
  if (values.length === 0) return Buffer.alloc(0);
  const field = Buffer.alloc(4 + 8 * values.length);
  field.writeUInt16LE(0x0001, 0);
  field.writeUInt16LE(8 * values.length, 2);
  values.forEach((v, i) => field.writeBigUInt64LE(BigInt(v), 4 + 8 * i));
  return field;
}

function localHeader(p: Placed<ZipFile>): Buffer {
  const { file, name } = p;
  const big = file.size >= MAX32;
  const extra = Buffer.concat([
    big ? zip64Field([file.size, file.size]) : Buffer.alloc(0),
    extendedTime(file.modifiedAt),
  ]);
  const header = Buffer.alloc(LOCAL_HEADER);
  const { date, time } = dosDateTime(file.modifiedAt);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(big ? 45 : 20, 4);
  header.writeUInt16LE(UTF8_FLAG, 6);
  header.writeUInt16LE(0, 8);
  header.writeUInt16LE(time, 10);
  header.writeUInt16LE(date, 12);
  header.writeUInt32LE(file.crc32 >>> 0, 14);
  header.writeUInt32LE(big ? MAX32 : file.size, 18);
  header.writeUInt32LE(big ? MAX32 : file.size, 22);
  header.writeUInt16LE(name.length, 26);
  header.writeUInt16LE(extra.length, 28);
  return Buffer.concat([header, name, extra]);
}

function centralRecord(p: Placed<ZipFile>): Buffer {
  const { file, name, offset } = p;
  const bigSize = file.size >= MAX32;
  const bigOffset = offset >= MAX32;
  const zip64 = zip64Field([
    ...(bigSize ? [file.size, file.size] : []),
    ...(bigOffset ? [offset] : []),
  ]);
  const extra = Buffer.concat([zip64, extendedTime(file.modifiedAt)]);
  const record = Buffer.alloc(CENTRAL_HEADER);
  const { date, time } = dosDateTime(file.modifiedAt);
  record.writeUInt32LE(0x02014b50, 0);
  record.writeUInt16LE(MADE_BY, 4);
  record.writeUInt16LE(bigSize || bigOffset ? 45 : 20, 6);
  record.writeUInt16LE(UTF8_FLAG, 8);
  record.writeUInt16LE(0, 10);
  record.writeUInt16LE(time, 12);
  record.writeUInt16LE(date, 14);
  record.writeUInt32LE(file.crc32 >>> 0, 16);
  record.writeUInt32LE(bigSize ? MAX32 : file.size, 20);
  record.writeUInt32LE(bigSize ? MAX32 : file.size, 24);
  record.writeUInt16LE(name.length, 28);
  record.writeUInt16LE(extra.length, 30);
  record.writeUInt16LE(0, 32);
  record.writeUInt16LE(0, 34);
  record.writeUInt16LE(0, 36);
  record.writeUInt32LE(FILE_MODE, 38);
  record.writeUInt32LE(bigOffset ? MAX32 : offset, 42);
  return Buffer.concat([record, name, extra]);
}

const centralLength = (p: Placed<ZipFile>) =>
  CENTRAL_HEADER +
  p.name.length +
  (p.file.size >= MAX32 ? 20 : 0) +
  (p.offset >= MAX32 ? (p.file.size >= MAX32 ? 8 : 12) : 0) +
  (hasTime(p.file.modifiedAt) ? EXTENDED_TIME : 0);

function endRecords(count: number, cdOffset: number, cdSize: number): Buffer {
  const zip64 = count >= MAX16 || cdOffset >= MAX32 || cdSize >= MAX32;
  const end = Buffer.alloc(END);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(zip64 ? MAX16 : count, 8);
  end.writeUInt16LE(zip64 ? MAX16 : count, 10);
  end.writeUInt32LE(zip64 ? MAX32 : cdSize, 12);
  end.writeUInt32LE(zip64 ? MAX32 : cdOffset, 16);
  if (!zip64) return end;
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeUInt16LE(MADE_BY, 12);
  record.writeUInt16LE(45, 14);
  record.writeBigUInt64LE(BigInt(count), 24);
  record.writeBigUInt64LE(BigInt(count), 32);
  record.writeBigUInt64LE(BigInt(cdSize), 40);
  record.writeBigUInt64LE(BigInt(cdOffset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(cdOffset + cdSize), 8);
  locator.writeUInt32LE(1, 16);
  return Buffer.concat([record, locator, end]);
}

/**
 * A store-only zip laid out before any byte is read: files are not compressed (photos and
 * videos are already), sizes and CRC-32s come with the files, so every offset — and the total —
 * is known, the bytes are the same on every request, and any byte range can be produced by
 * opening only the files it covers. ZIP64 fields are written only where a size or offset needs
 * them. Memory holds the file list, never file contents: data is streamed, one chunk at a time.
 */
export class ZipLayout<F extends ZipFile = ZipFile> {
  private readonly placed: Placed<F>[] = [];
  private readonly cdOffset: number;
  private readonly cdSize: number;
  private readonly end: Buffer;
  readonly size: number;

  constructor(files: readonly F[]) {
    let offset = 0;
    for (const file of files) {
      const name = Buffer.from(file.path, 'utf8');
      const headerLength =
        LOCAL_HEADER +
        name.length +
        (file.size >= MAX32 ? 20 : 0) +
        (hasTime(file.modifiedAt) ? EXTENDED_TIME : 0);
      this.placed.push({ file, name, offset, headerLength });
      offset += headerLength + file.size;
    }
    this.cdOffset = offset;
    this.cdSize = this.placed.reduce((sum, p) => sum + centralLength(p), 0);
    this.end = endRecords(this.placed.length, this.cdOffset, this.cdSize);
    this.size = this.cdOffset + this.cdSize + this.end.length;
  }

  /** The files whose data lies (partly) in the range: to check that they can still be read. */
  filesIn(range: ByteRange): F[] {
    return this.placed
      .filter((p) => {
        const dataStart = p.offset + p.headerLength;
        return p.file.size > 0 && dataStart <= range.end && dataStart + p.file.size > range.start;
      })
      .map((p) => p.file);
  }

  /** The bytes of `range` (inclusive; the whole zip by default), produced as they are read. */
  stream(range: ByteRange = { start: 0, end: this.size - 1 }): Readable {
    return Readable.from(this.bytes(range.start, range.end + 1), {
      objectMode: false,
      highWaterMark: 1024 * 1024,
    });
  }

  private async *bytes(from: number, to: number): AsyncGenerator<Buffer> {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    // Headers and central records are small: they go out in batches rather than one by one.
    const flush = function* () {
      if (pendingBytes > 0) yield Buffer.concat(pending);
      pending = [];
      pendingBytes = 0;
    };
    const push = function* (buffer: Buffer, at: number) {
      const slice = buffer.subarray(Math.max(0, from - at), Math.max(0, to - at));
      if (slice.length === 0) return;
      pending.push(slice);
      pendingBytes += slice.length;
      if (pendingBytes >= 256 * 1024) yield* flush();
    };
    for (const p of this.placed) {
      const dataStart = p.offset + p.headerLength;
      const dataEnd = dataStart + p.file.size;
      if (dataEnd <= from) continue;
      if (p.offset >= to) break;
      if (dataStart > from) yield* push(localHeader(p), p.offset);
      const start = Math.max(from, dataStart);
      const end = Math.min(to, dataEnd);
      if (end > start) {
        yield* flush();
        yield* fileBytes(p.file, start - dataStart, end - dataStart);
      }
    }
    let at = this.cdOffset;
    for (const p of this.placed) {
      if (at >= to) break;
      const length = centralLength(p);
      if (at + length > from) yield* push(centralRecord(p), at);
      at += length;
    }
    yield* push(this.end, this.cdOffset + this.cdSize);
    yield* flush();
  }
}

/** Bytes [start, end) of a file, checked against its recorded size. */
async function* fileBytes(file: ZipFile, start: number, end: number): AsyncGenerator<Buffer> {
  let sent = 0;
  const wanted = end - start;
  for await (const chunk of file.open({ start, end: end - 1 }) as AsyncIterable<Buffer>) {
    const part = chunk.subarray(0, wanted - sent);
    sent += part.length;
    if (part.length > 0) yield part;
    if (sent === wanted) break;
  }
  if (sent !== wanted) {
    throw new Error(
      `${file.path} is shorter than recorded (${file.size} bytes): it changed after the export`,
    );
  }
}
