import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { unzip } from '../../test/zip.js';
import { maxEndBytes, maxOverhead, ZipLayout, type ZipFile } from './export.zip.js';

const memoryFile = (path: string, bytes: Buffer, modifiedAt = Date.UTC(2023, 9, 6, 8, 30)) =>
  ({
    path,
    size: bytes.length,
    crc32: zlib.crc32(bytes),
    modifiedAt,
    open: (range) => Readable.from([bytes.subarray(range.start, range.end + 1)]),
  }) satisfies ZipFile;

/** A file of `size` zero bytes that exists nowhere: its bytes are made when read. */
const zeros = (path: string, size: number): ZipFile => ({
  path,
  size,
  crc32: 0,
  modifiedAt: Date.UTC(2024, 0, 1),
  open: (range) =>
    Readable.from(
      (function* () {
        for (let at = range.start; at <= range.end; at += 1024 * 1024) {
          yield Buffer.alloc(Math.min(1024 * 1024, range.end + 1 - at));
        }
      })(),
    ),
});

const files = [
  memoryFile('Export/2023/10/IMG_1.jpg', Buffer.from('first file')),
  memoryFile('Export/2023/10/été 🎉.txt', Buffer.from('accents and emoji in the name')),
  memoryFile('Export/empty.json', Buffer.alloc(0)),
  memoryFile('Export/big.bin', Buffer.alloc(300_000, 7), Date.UTC(1975, 0, 1)),
];

describe('ZipLayout', () => {
  it('writes a zip that unzips to the same files, with the size it announced', async () => {
    const layout = new ZipLayout(files);
    const bytes = await buffer(layout.stream());
    expect(bytes.length).toBe(layout.size);
    const entries = await unzip(bytes);
    expect([...entries.keys()]).toEqual(files.map((f) => f.path));
    for (const file of files) {
      const read = entries.get(file.path);
      expect(read && zlib.crc32(read)).toBe(file.crc32);
    }
    const estimate = files.reduce(
      (sum, f) => sum + f.size + maxOverhead(Buffer.byteLength(f.path)),
      maxEndBytes,
    );
    expect(layout.size).toBeLessThanOrEqual(estimate);
  });

  it('produces any byte range equal to the same bytes of the whole', async () => {
    const layout = new ZipLayout(files);
    const whole = await buffer(layout.stream());
    const cuts = [0, 1, 29, 30, 31, 77, 150, 300_000, whole.length - 23, whole.length - 1];
    for (const start of cuts) {
      for (const end of [start, start + 5, start + 100_000, whole.length - 1]) {
        if (end >= whole.length) continue;
        const part = await buffer(layout.stream({ start, end }));
        expect(part.equals(whole.subarray(start, end + 1)), `${start}-${end}`).toBe(true);
      }
    }
    // Pieces taken one after another make the whole.
    const pieces: Buffer[] = [];
    for (let at = 0; at < whole.length; at += 65_537) {
      pieces.push(
        await buffer(layout.stream({ start: at, end: Math.min(at + 65_536, whole.length - 1) })),
      );
    }
    expect(Buffer.concat(pieces).equals(whole)).toBe(true);
  });

  it('names the files whose data a range covers', () => {
    const layout = new ZipLayout(files);
    expect(layout.filesIn({ start: 0, end: 40 }).map((f) => f.path)).toEqual([]);
    expect(layout.filesIn({ start: 0, end: layout.size - 1 }).map((f) => f.path)).toEqual([
      'Export/2023/10/IMG_1.jpg',
      'Export/2023/10/été 🎉.txt',
      'Export/big.bin',
    ]);
  });

  it('fails the stream when a file is shorter than recorded', async () => {
    const short = { ...memoryFile('a.bin', Buffer.alloc(10)), size: 20 };
    await expect(buffer(new ZipLayout([short]).stream())).rejects.toThrow(/shorter than recorded/);
  });

  it('uses ZIP64 past 4 GiB: a file after a 4.5 GiB one is found and read back', async () => {
    const big = 4.5 * 1024 ** 3;
    const small = memoryFile('after/small.txt', Buffer.from('found after 4.5 GiB'));
    const layout = new ZipLayout([zeros('huge.bin', big), small]);
    expect(layout.size).toBeGreaterThan(big);
    // yauzl reads the zip through Range reads of the layout: only the central directory and
    // the small file are ever produced.
    class LayoutReader extends yauzl.RandomAccessReader {
      override _readStreamForRange(start: number, end: number) {
        return layout.stream({ start, end: end - 1 });
      }
    }
    const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
      yauzl.fromRandomAccessReader(
        new LayoutReader(),
        layout.size,
        { lazyEntries: true, autoClose: false },
        (error, file) => {
          if (error) reject(error);
          else resolve(file);
        },
      );
    });
    const seen = new Map<string, yauzl.Entry>();
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        seen.set(entry.fileName, entry);
        zip.readEntry();
      });
      zip.on('end', resolve);
      zip.on('error', reject);
      zip.readEntry();
    });
    expect(seen.get('huge.bin')?.uncompressedSize).toBe(big);
    const entry = seen.get('after/small.txt');
    if (!entry) throw new Error('small.txt not listed');
    expect(entry.relativeOffsetOfLocalHeader).toBeGreaterThan(big);
    const content = await new Promise<Buffer>((resolve, reject) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error) reject(error);
        else buffer(stream).then(resolve, reject);
      });
    });
    expect(content.toString()).toBe('found after 4.5 GiB');
    zip.close();
  });
});
