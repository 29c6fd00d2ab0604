import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeEntryPath } from './archive.paths.js';
import { scanArchive as scanSource, type ScanOptions } from './archive.scan.js';
import {
  buildTar,
  buildZip,
  collectStream,
  patchBytes,
  patchCentral,
  scanAll as scanFile,
  sourceKinds,
  sourceOf,
  tempDir,
  type TempDir,
} from './archive.testing.js';
import { ArchiveError, type ArchiveErrorCode, type ArchiveVisitor } from './archive.types.js';

let dir: TempDir;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.remove());

const zeros = Buffer.alloc(8 * 1024 * 1024);
const MiB = 1024 * 1024;

async function rejectsWith(promise: Promise<unknown>, code: ArchiveErrorCode): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ArchiveError);
  expect((error as ArchiveError).code).toBe(code);
  return (error as ArchiveError).message;
}

describe('safeEntryPath', () => {
  it.each([
    ['a/b.jpg', 'a/b.jpg'],
    ['./a/./b.jpg', 'a/b.jpg'],
    ['a\\b\\c.jpg', 'a/b/c.jpg'],
    ['a//b.jpg', 'a/b.jpg'],
    ['Été/café.jpg'.normalize('NFD'), 'Été/café.jpg'.normalize('NFC')],
    ['..foo/bar..', '..foo/bar..'],
  ])('%s → %s', (raw, path) => {
    expect(safeEntryPath(raw)).toEqual({ path });
  });

  it.each([
    ['../../etc/passwd', 'path leaves the archive (..)'],
    ['a/../../b', 'path leaves the archive (..)'],
    ['a\\..\\b', 'path leaves the archive (..)'],
    ['/etc/passwd', 'absolute path'],
    ['C:\\x', 'absolute path (drive letter)'],
    ['c:x', 'absolute path (drive letter)'],
    ['//server/share/x', 'absolute path (network share)'],
    ['\\\\server\\x', 'absolute path (network share)'],
    ['a\0b', 'name contains a NUL byte'],
    ['', 'empty path'],
    ['./', 'empty path'],
  ])('refuses %j', (raw, refused) => {
    expect(safeEntryPath(raw)).toEqual({ refused });
  });
});

describe.each(sourceKinds)('over a %s source', (kind) => {
  // The archives below are written to files, then read through the source of this run.
  const scanAll = (file: string, options?: Parameters<typeof scanFile>[1]) =>
    scanFile(sourceOf(kind, file), options);
  const scanArchive = (file: string, visitor: ArchiveVisitor, options?: ScanOptions) =>
    scanSource(sourceOf(kind, file), visitor, options);

  describe('refusals', () => {
    it('zip: refuses links, special files, unsafe paths, encryption, methods, size', async () => {
      let bytes = await buildZip([
        { name: 'ok/first.txt', data: 'first' },
        { name: 'link', data: '/etc/shadow', mode: 0o120777, compress: false },
        { name: 'fifo', data: '', mode: 0o010644 },
        { name: 'XX/XX/etc/passwd', data: 'x' },
        { name: 'Xetc/passwd', data: 'x' },
        { name: 'QQQQ', data: 'x' },
        { name: 'secret.txt', data: 'secret' },
        { name: 'bzip2.txt', data: 'bzip2' },
        { name: 'large.bin', data: randomBytes(2048) },
        { name: 'ok/last.txt', data: 'last' },
      ]);
      bytes = patchBytes(bytes, 'XX/XX/etc/passwd', '../../etc/passwd');
      bytes = patchBytes(bytes, 'Xetc/passwd', '/etc/passwd');
      bytes = patchBytes(bytes, 'QQQQ', 'C:\\x');
      patchCentral(bytes, 'secret.txt', (at) =>
        bytes.writeUInt16LE(bytes.readUInt16LE(at + 8) | 1, at + 8),
      );
      patchCentral(bytes, 'bzip2.txt', (at) => bytes.writeUInt16LE(12, at + 10));
      const scanned = await scanAll(await dir.write('refusals.zip', bytes), {
        limits: { maxEntryBytes: 1024 },
      });
      expect(scanned.refused).toEqual([
        { path: 'link', index: 1, reason: 'symbolic link' },
        { path: 'fifo', index: 2, reason: 'FIFO (named pipe)' },
        { path: '../../etc/passwd', index: 3, reason: 'path leaves the archive (..)' },
        { path: '/etc/passwd', index: 4, reason: 'absolute path' },
        { path: 'C:\\x', index: 5, reason: 'absolute path (drive letter)' },
        { path: 'secret.txt', index: 6, reason: 'encrypted entry' },
        { path: 'bzip2.txt', index: 7, reason: 'unsupported compression method 12 (bzip2)' },
        { path: 'large.bin', index: 8, reason: 'entry of 2 KB is over the 1 KB limit' },
      ]);
      expect([...scanned.files.keys()]).toEqual(['ok/first.txt', 'ok/last.txt']);
      expect(scanned.visited.map((entry) => entry.index)).toEqual([0, 9]);
    });

    it('tar: refuses links, devices, FIFOs, unsafe paths and size', async () => {
      const bytes = await buildTar(
        [
          { name: 'ok/first.txt', data: 'first' },
          { name: 'link', type: 'symlink', linkname: '/etc/shadow' },
          { name: 'hard', type: 'link', linkname: 'ok/first.txt' },
          { name: 'tty', type: 'character-device', devmajor: 4, devminor: 1 },
          { name: 'disk', type: 'block-device', devmajor: 8, devminor: 0 },
          { name: 'pipe', type: 'fifo' },
          { name: '../../etc/passwd', data: 'x' },
          { name: '/etc/passwd', data: 'x' },
          { name: 'C:\\x', data: 'x' },
          { name: 'large.bin', data: randomBytes(2048) },
          { name: 'ok/last.txt', data: 'last' },
        ],
        true,
      );
      const scanned = await scanAll(await dir.write('refusals.tgz', bytes), {
        limits: { maxEntryBytes: 1024 },
      });
      expect(scanned.refused.map(({ path, reason }) => [path, reason])).toEqual([
        ['link', 'symbolic link'],
        ['hard', 'hard link'],
        ['tty', 'character device'],
        ['disk', 'block device'],
        ['pipe', 'FIFO (named pipe)'],
        ['../../etc/passwd', 'path leaves the archive (..)'],
        ['/etc/passwd', 'absolute path'],
        ['C:\\x', 'absolute path (drive letter)'],
        ['large.bin', 'entry of 2 KB is over the 1 KB limit'],
      ]);
      expect(scanned.refused.map((entry) => entry.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(scanned.files.get('ok/first.txt')?.toString()).toBe('first');
      expect(scanned.files.get('ok/last.txt')?.toString()).toBe('last');
      expect(scanned.visited.map((entry) => entry.index)).toEqual([0, 10]);
    });
  });

  describe('bombs', () => {
    it('zip: refuses an entry whose compression ratio is too high past the floor', async () => {
      const file = await dir.write(
        'ratio.zip',
        await buildZip([
          { name: 'zeros.bin', data: zeros },
          { name: 'photo.jpg', data: randomBytes(2 * MiB) },
        ]),
      );
      const scanned = await scanAll(file, { limits: { ratioFloorBytes: MiB }, read: () => false });
      expect(scanned.refused).toHaveLength(1);
      expect(scanned.refused[0]?.reason).toMatch(/^compression ratio 1:\d+ is a zip bomb$/);
      expect(scanned.visited.map((entry) => entry.path)).toEqual(['photo.jpg']);
      // Under the default 64 MiB floor, 8 MB of zeros is just a file.
      const lenient = await scanAll(file, { read: () => false });
      expect(lenient.refused).toEqual([]);
    });

    it('tgz: aborts once the gzip stream expands too far past the floor', async () => {
      const bytes = await buildTar(
        [
          { name: 'first.txt', data: 'first' },
          { name: 'zeros.bin', data: zeros },
        ],
        true,
      );
      const file = await dir.write('zeros.tgz', bytes);
      const seen: string[] = [];
      const message = await rejectsWith(
        scanArchive(
          file,
          {
            async file(entry, open) {
              seen.push(entry.path);
              await collectStream(open());
            },
            refused: () => Promise.resolve(),
          },
          { limits: { ratioFloorBytes: MiB } },
        ),
        'ARCHIVE_BOMB',
      );
      expect(message).toMatch(/compression ratio 1:\d+ is a gzip bomb/);
      expect(seen[0]).toBe('first.txt');
    });

    it('zip: too many entries is a bomb before any visit', async () => {
      const file = await dir.write(
        'many.zip',
        await buildZip(['a', 'b', 'c', 'd'].map((name) => ({ name, data: name }))),
      );
      const visits: string[] = [];
      await rejectsWith(
        scanArchive(
          file,
          {
            file: (entry) => Promise.resolve(void visits.push(entry.path)),
            refused: () => Promise.resolve(),
          },
          { limits: { maxEntries: 3 } },
        ),
        'ARCHIVE_BOMB',
      );
      expect(visits).toEqual([]);
    });

    it('tar: too many entries is a bomb once the count is passed', async () => {
      const bytes = await buildTar(
        ['a', 'b', 'c', 'd'].map((name) => ({ name, data: name })),
        false,
      );
      const file = await dir.write('many.tar', bytes);
      const visits: string[] = [];
      const message = await rejectsWith(
        scanArchive(
          file,
          {
            file: (entry) => Promise.resolve(void visits.push(entry.path)),
            refused: () => Promise.resolve(),
          },
          { limits: { maxEntries: 3 } },
        ),
        'ARCHIVE_BOMB',
      );
      expect(message).toMatch(/more than 3 entries/);
      expect(visits).toEqual(['a', 'b', 'c']);
    });

    it.each(['zip', 'tar'] as const)('%s: too many bytes in total is a bomb', async (format) => {
      const specs = ['a', 'b', 'c'].map((name) => ({ name, data: randomBytes(1000) }));
      const bytes = format === 'zip' ? await buildZip(specs) : await buildTar(specs, false);
      const file = await dir.write(`total.${format}`, bytes);
      await rejectsWith(scanAll(file, { limits: { maxTotalBytes: 2500 } }), 'ARCHIVE_BOMB');
    });
  });
});
