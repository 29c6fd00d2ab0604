import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanArchive } from './archive.scan.js';
import {
  buildTar,
  buildZip,
  collectStream,
  patchBytes,
  scanAll,
  sourceKinds,
  sourceOf,
  tempDir,
  type TarSpec,
  type TempDir,
  type ZipSpec,
} from './archive.testing.js';
import type { ArchiveFormat } from './archive.types.js';

const big = randomBytes(5 * 1024 * 1024);
const nfd = 'Takeout/Google Photos/Été à Montréal/café.jpg'.normalize('NFD');
const longName = `Takeout/Google Photos/${'A very long album name '.repeat(6)}/IMG_0042.jpg`;
/** Files every format carries, with the path expected out (NFC). */
const files: { name: string; path: string; data: Buffer }[] = [
  { name: 'Takeout/archive_browser.html', data: Buffer.from('<html></html>') },
  { name: nfd, data: Buffer.from('jpeg bytes') },
  { name: 'Takeout/Google Photos/empty.json', data: Buffer.alloc(0) },
  { name: 'Takeout/Google Photos/Trip/video.mp4', data: big },
  { name: 'Takeout/日本/写真.png', data: Buffer.from('png bytes') },
  { name: longName, data: Buffer.from('long name') },
].map((file) => ({ ...file, path: file.name.normalize('NFC') }));

const directories = ['Takeout/', 'Takeout/Google Photos/'];

async function zipOf(compress: boolean): Promise<Buffer> {
  const specs: ZipSpec[] = [
    ...directories.map((name) => ({ name, directory: true })),
    ...files.map(({ name, data }) => ({ name, data, compress })),
  ];
  return buildZip(specs);
}

async function tarOf(gzip: boolean): Promise<Buffer> {
  const specs: TarSpec[] = [
    ...directories.map((name) => ({ name, type: 'directory' as const })),
    ...files.map(({ name, data }) => ({ name, data })),
  ];
  return buildTar(specs, gzip);
}

let dir: TempDir;
const archives = new Map<string, string>();

beforeAll(async () => {
  dir = await tempDir();
  // Names lie on purpose: the format comes from the bytes.
  archives.set('zip', await dir.write('deflated.tgz', await zipOf(true)));
  archives.set('zip-stored', await dir.write('stored.bin', await zipOf(false)));
  archives.set('tgz', await dir.write('takeout.zip', await tarOf(true)));
  archives.set('tar', await dir.write('takeout', await tarOf(false)));
});
afterAll(() => dir.remove());

const cases: { name: string; format: ArchiveFormat }[] = [
  { name: 'zip', format: 'zip' },
  { name: 'zip-stored', format: 'zip' },
  { name: 'tgz', format: 'tgz' },
  { name: 'tar', format: 'tar' },
];

describe.each(sourceKinds)('over a %s source', (kind) => {
  describe.each(cases)('$name', ({ name, format }) => {
    const source = () => sourceOf(kind, archives.get(name) ?? '');

    it('visits every file with its bytes, NFC names, and skips directories', async () => {
      const scanned = await scanAll(source());
      expect(scanned.format).toBe(format);
      expect(scanned.entries).toBe(directories.length + files.length);
      expect(scanned.refused).toEqual([]);
      expect(scanned.visited.map((entry) => entry.path)).toEqual(files.map((file) => file.path));
      expect(scanned.visited.map((entry) => entry.index)).toEqual(
        files.map((_, i) => directories.length + i),
      );
      for (const file of files) {
        const read = scanned.files.get(file.path);
        expect(read?.equals(file.data), file.path).toBe(true);
        expect(scanned.visited.find((entry) => entry.path === file.path)?.size).toBe(
          file.data.length,
        );
      }
      expect(scanned.files.has(nfd)).toBe(false);
    });

    it('skips entries the visitor does not open, and indexes stay the same', async () => {
      const skipping = await scanAll(source(), { read: (entry) => entry.path.endsWith('.png') });
      expect([...skipping.files.keys()]).toEqual(['Takeout/日本/写真.png']);
      expect(skipping.files.get('Takeout/日本/写真.png')?.toString()).toBe('png bytes');
      const again = await scanAll(source(), { read: () => false });
      expect(again.visited).toEqual(skipping.visited);
    });

    it('lets the visitor stop reading part way, and goes on', async () => {
      const seen: string[] = [];
      const result = await scanArchive(source(), {
        async file(entry, open) {
          seen.push(entry.path);
          if (entry.size === big.length) {
            const stream = open();
            for await (const chunk of stream) {
              expect(chunk).toBeInstanceOf(Buffer);
              break; // destroys the stream
            }
          }
        },
        refused: () => Promise.reject(new Error('nothing to refuse')),
      });
      expect(result.entries).toBe(directories.length + files.length);
      expect(seen).toEqual(files.map((file) => file.path));
    });

    it('carries on when a visitor opens a stream and neither reads nor destroys it', async () => {
      const leftOpen = await scanArchive(source(), {
        file: (_entry, open) => {
          open();
          return Promise.resolve();
        },
        refused: () => Promise.resolve(),
      });
      expect(leftOpen.entries).toBe(directories.length + files.length);
    });

    it('allows open() once, and only while the visitor runs', async () => {
      let late: (() => unknown) | undefined;
      await scanArchive(source(), {
        async file(entry, open) {
          if (entry.size !== big.length) return;
          const stream = open();
          expect(() => open()).toThrow(/twice/);
          await collectStream(stream);
          late = open;
        },
        refused: () => Promise.resolve(),
      });
      expect(late).toThrow(/after the visitor settled/);
    });
  });

  describe('zip specifics', () => {
    it('reads zip64 archives', async () => {
      const bytes = await buildZip([{ name: 'a/b.txt', data: 'zip64' }], { zip64: true });
      const scanned = await scanAll(sourceOf(kind, await dir.write('zip64.zip', bytes)));
      expect(scanned.files.get('a/b.txt')?.toString()).toBe('zip64');
    });

    it('reads an empty zip (PK\\5\\6 first)', async () => {
      const bytes = await buildZip([]);
      expect(bytes.subarray(0, 4).toString('latin1')).toBe('PK\x05\x06');
      const scanned = await scanAll(sourceOf(kind, await dir.write('empty.zip', bytes)));
      expect(scanned).toMatchObject({ format: 'zip', entries: 0 });
    });

    it('reads Windows names with backslashes as folders', async () => {
      const bytes = await buildZip([{ name: 'QQQQQQQQQQQQ', data: 'win' }]);
      const patched = patchBytes(bytes, 'QQQQQQQQQQQQ', 'Photos\\a.jpg');
      const scanned = await scanAll(sourceOf(kind, await dir.write('windows.zip', patched)));
      expect(scanned.files.get('Photos/a.jpg')?.toString()).toBe('win');
    });
  });
});
