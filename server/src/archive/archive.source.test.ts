import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanArchive } from './archive.scan.js';
import { ArchiveSourceError, type ArchiveSource } from './archive.source.js';
import {
  buildTar,
  buildZip,
  collectStream,
  rangedSource,
  rangedStreamsOpen,
  scanAll,
  tempDir,
  type TempDir,
} from './archive.testing.js';
import { ArchiveError, type ArchiveVisitor } from './archive.types.js';

const MiB = 1024 * 1024;
/** A Takeout-like folder: many small sidecars beside photos. */
const small = Array.from({ length: 2000 }, (_, i) => ({
  name: `Takeout/Google Photos/Photos from 2020/IMG_${String(i).padStart(4, '0')}.jpg.json`,
  data: JSON.stringify({ title: `IMG_${i}.jpg`, photoTakenTime: { timestamp: String(i) } }),
}));
const bigFiles = ['a.jpg', 'b.jpg', 'c.jpg'].map((name) => ({
  name,
  data: randomBytes(3 * MiB),
  compress: false,
}));

let dir: TempDir;
/** Building a zip of many entries takes seconds on a busy machine: this one is built once. */
let sidecarsZip: string;
beforeAll(async () => {
  dir = await tempDir();
  sidecarsZip = await dir.write('sidecars.zip', await buildZip(small));
});
afterAll(async () => {
  await dir.remove();
  expect(rangedStreamsOpen()).toBe(0);
});

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the scan to fail');
    },
    (error: unknown) => error,
  );
}

const readEverything: ArchiveVisitor = {
  file: async (_entry, open) => {
    await collectStream(open());
  },
  refused: () => Promise.resolve(),
};

describe('zip read by ranged requests (object storage)', () => {
  it('reads the central directory in a few requests, not one per entry', async () => {
    const source = rangedSource(sidecarsZip);
    const scanned = await scanAll(source, { read: () => false });
    expect(scanned.visited).toHaveLength(small.length);
    expect(source.requests).toBeLessThanOrEqual(8);
  });

  it('reads small entries with their neighbours, each byte about once', async () => {
    const source = rangedSource(sidecarsZip);
    const scanned = await scanAll(source);
    expect(scanned.files.get(small[1234]?.name ?? '')?.toString()).toBe(small[1234]?.data);
    expect(source.requests).toBeLessThan(small.length / 20);
    const size = await source.size();
    expect(source.served).toBeLessThan(size * 1.5);
  });

  it('reads only the entries opened: skipped photos are never downloaded', async () => {
    const source = rangedSource(await dir.write('photos.zip', await buildZip(bigFiles)));
    const size = await source.size();
    const skipped = await scanAll(source, { read: () => false });
    expect(skipped.visited).toHaveLength(3);
    expect(source.served).toBeLessThan(256 * 1024);

    const one = rangedSource(await dir.write('photos-one.zip', await buildZip(bigFiles)));
    const scanned = await scanAll(one, { read: (entry) => entry.path === 'b.jpg' });
    expect(scanned.files.get('b.jpg')?.equals(bigFiles[1]?.data ?? Buffer.alloc(0))).toBe(true);
    expect(one.served).toBeLessThan(size / 3 + 256 * 1024);
  });

  it('a tgz is one sequential read', async () => {
    const source = rangedSource(await dir.write('sidecars.tgz', await buildTar(small, true)));
    const scanned = await scanAll(source);
    expect(scanned.files.size).toBe(small.length);
    expect(source.requests).toBe(2); // the format's first bytes, then the whole stream
  });
});

describe.each(['zip', 'tgz'] as const)('%s: a source that fails', (format) => {
  let file: string;
  beforeAll(async () => {
    const bytes = format === 'zip' ? await buildZip(bigFiles) : await buildTar(bigFiles, true);
    file = await dir.write(`dropped.${format}`, bytes);
  });

  it('fails the scan as unreadable, not as damaged, and closes every read', async () => {
    // The first reads are small (format, directory); the first photo breaks the connection.
    const source = rangedSource(file, { failAfter: 1024 * 1024 });
    const error = await failure(scanArchive(source, readEverything));
    expect(error).toBeInstanceOf(ArchiveSourceError);
    expect(error).not.toBeInstanceOf(ArchiveError);
    expect((error as Error).message).toMatch(/connection reset by peer/);
    expect(rangedStreamsOpen()).toBe(0);
  });

  it('a missing source fails with its own error', async () => {
    const missing = Object.assign(new Error('No blob at takeout/x'), { code: 'ENOENT' });
    const source: ArchiveSource = {
      size: () => Promise.reject(missing),
      read: () => {
        throw new Error('not to be read');
      },
    };
    expect(await failure(scanArchive(source, readEverything))).toBe(missing);
  });
});
