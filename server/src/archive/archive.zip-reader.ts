import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { readRange, sourceFailure, type ArchiveSource } from './archive.source.js';

const KiB = 1024;
/** The smallest request: a read of a few bytes brings its neighbours along. */
const minBlock = 64 * KiB;
/** Reads that follow each other (the central directory) double their block up to this. */
const maxRunBlock = 1024 * KiB;
/** An entry this small or smaller comes with its local header in one request. */
const maxEntryBlock = 8 * 1024 * KiB;
/** A local header may carry more extra fields than the central directory's record says. */
const headerSlack = 4 * KiB;

interface Block {
  start: number;
  bytes: Buffer;
  /** When it was last used, for replacing the older of the two. */
  used: number;
}

/**
 * yauzl's view of an archive source. yauzl reads the central directory by two small reads per
 * entry and each entry's local header by another; against object storage each would be a request.
 * Two cached blocks serve them: one follows the directory (growing while reads follow each other),
 * the other holds the entry about to be opened (see `expect`), so that a small entry's header and
 * data come in one request. Memory is bounded by the two blocks, whatever the archive's size.
 */
export class SourceReader extends yauzl.RandomAccessReader {
  private blocks: Block[] = [];
  private uses = 0;
  private next: { start: number; end: number } | undefined;

  constructor(
    private readonly source: ArchiveSource,
    private readonly size: number,
  ) {
    super();
  }

  /** The next reads will be of `[start, end)`: the local header and data of the entry to open. */
  expect(start: number, end: number): void {
    this.next = { start, end };
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (error: Error | null) => void,
  ): void {
    const cached = this.cached(position, position + length);
    if (cached) {
      cached.copy(buffer, offset);
      process.nextTick(callback, null);
      return;
    }
    if (position + length > this.size) {
      process.nextTick(callback, new Error('unexpected EOF'));
      return;
    }
    const { end, replaced } = this.plan(position, length);
    void readRange(this.source, position, end).then(
      (bytes) => {
        if (bytes.length < length) {
          callback(new Error('unexpected EOF'));
          return;
        }
        this.blocks = [
          ...this.blocks.filter((block) => block !== replaced),
          { start: position, bytes, used: (this.uses += 1) },
        ];
        bytes.copy(buffer, offset, 0, length);
        callback(null);
      },
      (error: unknown) => {
        callback(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  /** Bytes `[start, end)` of the archive: from a block as far as one holds them, then requested. */
  override _readStreamForRange(start: number, end: number): Readable {
    const block = this.blocks.find((b) => start >= b.start && start < b.start + b.bytes.length);
    if (!block) return Readable.from(this.requested(start, end), { objectMode: false });
    block.used = this.uses += 1;
    const cachedEnd = Math.min(end, block.start + block.bytes.length);
    const head = block.bytes.subarray(start - block.start, cachedEnd - block.start);
    const rest = cachedEnd < end ? this.requested(cachedEnd, end) : null;
    return Readable.from(withHead(head, rest), { objectMode: false });
  }

  override close(callback: (error: Error | null) => void): void {
    this.blocks = [];
    setImmediate(callback, null);
  }

  private async *requested(start: number, end: number): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of this.source.read({ start, end: end - 1 })) yield chunk as Buffer;
    } catch (error) {
      throw sourceFailure(error);
    }
  }

  private cached(start: number, end: number): Buffer | undefined {
    for (const block of this.blocks) {
      if (start >= block.start && end <= block.start + block.bytes.length) {
        block.used = this.uses += 1;
        return block.bytes.subarray(start - block.start, end - block.start);
      }
    }
    return undefined;
  }

  /** How far to read from `position`, and which block the read replaces. */
  private plan(position: number, length: number): { end: number; replaced: Block | undefined } {
    const continued = this.blocks.find(
      (b) => position >= b.start && position <= b.start + b.bytes.length,
    );
    const oldest = this.blocks.length < 2 ? undefined : this.blocks.reduce(older);
    const next = this.next;
    let size = minBlock;
    let replaced = oldest;
    if (next && position >= next.start && position < next.end) {
      size = Math.min(maxEntryBlock, next.end - position + headerSlack);
    } else if (continued) {
      size = Math.min(maxRunBlock, 2 * continued.bytes.length);
      replaced = continued;
    }
    const end = Math.min(this.size, position + Math.max(length, minBlock, size));
    return { end, replaced };
  }
}

function older(a: Block, b: Block): Block {
  return a.used <= b.used ? a : b;
}

async function* withHead(
  head: Buffer,
  rest: AsyncGenerator<Buffer> | null,
): AsyncGenerator<Buffer> {
  yield head;
  if (rest) yield* rest;
}
