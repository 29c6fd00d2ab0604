import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanArchive as scanSource, type ScanOptions } from './archive.scan.js';
import {
  buildTar,
  buildZip,
  collectStream,
  openFds,
  patchCentral,
  rangedStreamsOpen,
  scanAll as scanFile,
  sourceKinds,
  sourceOf,
  tempDir,
  type TempDir,
} from './archive.testing.js';
import { ArchiveError, type ArchiveErrorCode, type ArchiveVisitor } from './archive.types.js';

let dir: TempDir;
let fdsBefore: number;
beforeAll(async () => {
  dir = await tempDir();
  fdsBefore = openFds();
});
afterAll(async () => {
  await dir.remove();
  // Every scan below failed one way or another: none may have left its file or a read open.
  expect(openFds()).toBe(fdsBefore);
  expect(rangedStreamsOpen()).toBe(0);
});

const big = randomBytes(5 * 1024 * 1024);
const threeFiles = [
  { name: 'a.txt', data: 'first' },
  { name: 'big.bin', data: big },
  { name: 'c.txt', data: 'last' },
];

/** Deflating 5 MB takes a while on a busy machine: each zip is built once, then copied to patch. */
const zips = new Map<boolean, Promise<Buffer>>();
async function zipOfThree(compress = true): Promise<Buffer> {
  let built = zips.get(compress);
  if (!built) {
    built = buildZip(threeFiles.map((spec) => ({ ...spec, compress })));
    zips.set(compress, built);
  }
  return Buffer.from(await built);
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the scan to fail');
    },
    (error: unknown) => error,
  );
}

async function rejectsWith(promise: Promise<unknown>, code: ArchiveErrorCode): Promise<string> {
  const error = await failure(promise);
  expect(error).toBeInstanceOf(ArchiveError);
  expect((error as ArchiveError).code).toBe(code);
  return (error as ArchiveError).message;
}

/** Reads every file; records what it saw, including its streams' errors, which it swallows. */
function recorder() {
  const seen: string[] = [];
  const streamErrors: unknown[] = [];
  const visitor: ArchiveVisitor = {
    async file(entry, open) {
      seen.push(entry.path);
      try {
        await collectStream(open());
      } catch (error) {
        streamErrors.push(error);
      }
    },
    refused: () => Promise.resolve(),
  };
  return { seen, streamErrors, visitor };
}

describe.each(sourceKinds)('over a %s source', (kind) => {
  // The archives below are written to files, then read through the source of this run.
  const scanAll = (file: string) => scanFile(sourceOf(kind, file));
  const scanArchive = (file: string, visitor: ArchiveVisitor, options?: ScanOptions) =>
    scanSource(sourceOf(kind, file), visitor, options);

  describe('not an archive', () => {
    it('random bytes and empty files are unsupported, whatever their name', async () => {
      await rejectsWith(
        scanAll(await dir.write('x.zip', randomBytes(4096))),
        'ARCHIVE_UNSUPPORTED',
      );
      await rejectsWith(scanAll(await dir.write('y.tgz', Buffer.alloc(0))), 'ARCHIVE_UNSUPPORTED');
    });

    it('a gzip file holding no tar is corrupt', async () => {
      const file = await dir.write('notes.gz', gzipSync(Buffer.from('not a tar\n'.repeat(100))));
      await rejectsWith(scanAll(file), 'ARCHIVE_CORRUPT');
    });
  });

  describe('truncated and damaged archives', () => {
    it('zip without its central directory is corrupt, nothing visited', async () => {
      const bytes = await zipOfThree();
      const { seen, visitor } = recorder();
      const file = await dir.write('cut.zip', bytes.subarray(0, bytes.length >> 1));
      const message = await rejectsWith(scanArchive(file, visitor), 'ARCHIVE_CORRUPT');
      expect(message).toMatch(/central directory/);
      expect(seen).toEqual([]);
    });

    it.each([true, false])(
      'tar (gzip: %s) cut mid-entry: earlier entries, then corrupt',
      async (gzip) => {
        const bytes = await buildTar(threeFiles, gzip);
        const { seen, streamErrors, visitor } = recorder();
        const file = await dir.write(`cut-${gzip}.tar`, bytes.subarray(0, bytes.length >> 1));
        // The visitor swallows its stream's error: the scan must fail all the same.
        await rejectsWith(scanArchive(file, visitor), 'ARCHIVE_CORRUPT');
        expect(seen).toEqual(['a.txt', 'big.bin']);
        expect(streamErrors).toHaveLength(1);
        expect(streamErrors[0]).toBeInstanceOf(ArchiveError);
      },
    );

    it('tar with a damaged header: earlier entries, then corrupt', async () => {
      const bytes = await buildTar(threeFiles, false);
      const second = 512 + 512; // a.txt's header and its one block of data
      bytes[second + 1] = 0x21; // the name changes, the checksum no longer matches
      const { seen, visitor } = recorder();
      const file = await dir.write('header.tar', bytes);
      const message = await rejectsWith(scanArchive(file, visitor), 'ARCHIVE_CORRUPT');
      expect(message).toMatch(/Invalid tar header/);
      expect(seen).toEqual(['a.txt']);
    });

    const lies: [string, boolean, number, (bytes: Buffer, at: number) => void][] = [
      ['a deflated entry declaring one byte more', true, 24, grow(1)],
      ['a deflated entry declaring one byte less', true, 24, grow(-1)],
      ['a stored entry declaring one byte more', false, 24, grow(1)],
      ['a deflated entry with a wrong CRC-32', true, 16, grow(1)],
      ['a stored entry with a wrong CRC-32', false, 16, grow(1)],
      ['a deflated entry with a short compressed size', true, 20, grow(-100)],
    ];
    it.each(lies)('zip: %s is corrupt, never wrong bytes', async (_, compress, field, patch) => {
      const bytes = await zipOfThree(compress);
      patchCentral(bytes, 'big.bin', (at) => {
        patch(bytes, at + field);
      });
      const { seen, visitor } = recorder();
      await rejectsWith(
        scanArchive(await dir.write('lies.zip', bytes), visitor),
        'ARCHIVE_CORRUPT',
      );
      expect(seen).not.toContain('c.txt');
    });
  });

  function grow(by: number): (bytes: Buffer, at: number) => void {
    return (bytes, at) => bytes.writeUInt32LE((bytes.readUInt32LE(at) + by) >>> 0, at);
  }

  describe.each(['zip', 'tgz'] as const)('%s: stopping', (format) => {
    let file: string;
    beforeAll(async () => {
      const bytes = format === 'zip' ? await zipOfThree() : await buildTar(threeFiles, true);
      file = await dir.write(`stop.${format}`, bytes);
    });

    it('a visitor that throws fails the scan with its own error', async () => {
      const mine = new Error('visitor failed');
      const error = await failure(
        scanArchive(file, {
          async file(entry, open) {
            if (entry.path !== 'big.bin') return;
            // One chunk read, then a throw with the stream left open: the scan must clean up.
            await open()[Symbol.asyncIterator]().next();
            throw mine;
          },
          refused: () => Promise.resolve(),
        }),
      );
      expect(error).toBe(mine);
    });

    it('a visitor that throws without opening fails the scan with its own error', async () => {
      const mine = new Error('visitor failed');
      const error = await failure(
        scanArchive(file, { file: () => Promise.reject(mine), refused: () => Promise.resolve() }),
      );
      expect(error).toBe(mine);
    });

    it('an abort mid-entry stops the scan with the abort reason', async () => {
      const controller = new AbortController();
      const reason = new Error('import cancelled');
      const seen: string[] = [];
      const error = await failure(
        scanArchive(
          file,
          {
            async file(entry, open) {
              seen.push(entry.path);
              if (entry.path !== 'big.bin') return;
              const stream = open();
              stream.once('data', () => {
                controller.abort(reason);
              });
              await collectStream(stream);
            },
            refused: () => Promise.resolve(),
          },
          { signal: controller.signal },
        ),
      );
      expect(error).toBe(reason);
      expect(seen).toEqual(['a.txt', 'big.bin']);
    });

    it('an abort between entries stops the scan', async () => {
      const controller = new AbortController();
      const error = await failure(
        scanArchive(
          file,
          {
            file: () => {
              controller.abort(new Error('enough'));
              return Promise.resolve();
            },
            refused: () => Promise.resolve(),
          },
          { signal: controller.signal },
        ),
      );
      expect(error).toEqual(new Error('enough'));
    });

    it('an aborted signal stops the scan before it starts', async () => {
      const { visitor, seen } = recorder();
      const signal = AbortSignal.abort(new Error('too late'));
      expect(await failure(scanArchive(file, visitor, { signal }))).toEqual(new Error('too late'));
      expect(seen).toEqual([]);
    });
  });
});
