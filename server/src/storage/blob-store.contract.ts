import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobStore } from './blob-store.js';

export interface ContractSubject {
  store: BlobStore;
  /** A folder of the local disk for the files handed to putFile. */
  scratchDir: string;
  /** True when localFile hands out a copy that release deletes (object storage). */
  localFileIsCopy: boolean;
  close(): Promise<void>;
}

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function errorOf(stream: Readable): Promise<NodeJS.ErrnoException | null> {
  try {
    await bytesOf(stream);
    return null;
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
}

function sha1(bytes: Buffer): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/**
 * What every BlobStore must do, as one `describe`: `open` makes a store (once for the block),
 * `close` ends it. Tests share the store but not keys: each works below its own random folder.
 */
export function describeBlobStoreContract(name: string, open: () => Promise<ContractSubject>) {
  describe(`BlobStore contract: ${name}`, () => {
    let subject: ContractSubject;
    let store: BlobStore;

    beforeAll(async () => {
      subject = await open();
      store = subject.store;
    });
    afterAll(async () => {
      await subject.close();
    });

    /** Writes `bytes` to a new local file and puts it under `key`; returns the local path. */
    async function put(key: string, bytes: Buffer): Promise<string> {
      const file = path.join(subject.scratchDir, randomUUID());
      await fsp.writeFile(file, bytes);
      await store.putFile(key, file);
      return file;
    }

    async function keysUnder(prefix: string): Promise<string[]> {
      const keys: string[] = [];
      for await (const key of store.list(prefix)) keys.push(key);
      return keys.sort();
    }

    it('declares where it is', () => {
      expect(store.location.length).toBeGreaterThan(0);
    });

    it('stores a file, removes the local file, and reads it back whole', async () => {
      const key = `${randomUUID()}/originals/owner/asset`;
      const bytes = randomBytes(70_000);
      const local = await put(key, bytes);
      expect(fs.existsSync(local)).toBe(false);
      expect(await store.size(key)).toBe(bytes.length);
      expect((await bytesOf(store.read(key))).equals(bytes)).toBe(true);
    });

    it('reads byte ranges: first byte, middle, last byte, all', async () => {
      const key = `${randomUUID()}/ranges.bin`;
      const bytes = randomBytes(10_000);
      await put(key, bytes);
      const ranges = [
        { start: 0, end: 0 },
        { start: 1234, end: 5678 },
        { start: bytes.length - 1, end: bytes.length - 1 },
        { start: 0, end: bytes.length - 1 },
      ];
      for (const range of ranges) {
        const read = await bytesOf(store.read(key, range));
        expect(read.equals(bytes.subarray(range.start, range.end + 1))).toBe(true);
      }
    });

    it('replaces a blob put again under the same key', async () => {
      const key = `${randomUUID()}/again`;
      await put(key, Buffer.from('first version'));
      await put(key, Buffer.from('second'));
      expect((await bytesOf(store.read(key))).toString()).toBe('second');
      expect(await store.size(key)).toBe(6);
    });

    it('keeps an empty file', async () => {
      const key = `${randomUUID()}/empty`;
      await put(key, Buffer.alloc(0));
      expect(await store.size(key)).toBe(0);
      expect((await bytesOf(store.read(key))).length).toBe(0);
    });

    it('answers a missing key: size null, read fails with ENOENT', async () => {
      const key = `${randomUUID()}/missing`;
      expect(await store.size(key)).toBeNull();
      expect((await errorOf(store.read(key)))?.code).toBe('ENOENT');
      expect((await errorOf(store.read(key, { start: 0, end: 9 })))?.code).toBe('ENOENT');
      // A local folder hands out the path that would hold it; object storage has nothing to copy.
      try {
        const file = await store.localFile(key);
        expect(fs.existsSync(file.path)).toBe(false);
        await file.release();
      } catch (error) {
        expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
      }
    });

    it('gives a local file with the content, and release removes any copy', async () => {
      const key = `${randomUUID()}/thumb.webp`;
      const bytes = randomBytes(50_000);
      await put(key, bytes);
      const file = await store.localFile(key);
      expect((await fsp.readFile(file.path)).equals(bytes)).toBe(true);
      await file.release();
      expect(fs.existsSync(file.path)).toBe(!subject.localFileIsCopy);
      expect(await store.size(key)).toBe(bytes.length);
    });

    it('deletes, and deleting what is not there is fine', async () => {
      const key = `${randomUUID()}/to-delete`;
      await put(key, Buffer.from('bye'));
      await store.delete(key);
      expect(await store.size(key)).toBeNull();
      await store.delete(key);
      await store.delete(`${randomUUID()}/never-was`);
    });

    it('lists every key below a folder, nested ones too', async () => {
      const root = randomUUID();
      for (const key of ['a/1', 'a/2/x', 'a/2/y/z', 'ab/3', 'b']) {
        await put(`${root}/${key}`, Buffer.from(key));
      }
      const under = (...keys: string[]) => keys.map((key) => `${root}/${key}`);
      expect(await keysUnder(`${root}/a/`)).toEqual(under('a/1', 'a/2/x', 'a/2/y/z'));
      // A prefix is a folder: "a" does not take in "ab".
      expect(await keysUnder(`${root}/a`)).toEqual(under('a/1', 'a/2/x', 'a/2/y/z'));
      expect(await keysUnder(`${root}/a/2`)).toEqual(under('a/2/x', 'a/2/y/z'));
      expect(await keysUnder(root)).toEqual(under('a/1', 'a/2/x', 'a/2/y/z', 'ab/3', 'b'));
      expect(await keysUnder(`${root}/none/`)).toEqual([]);
      expect(await keysUnder('')).toEqual(expect.arrayContaining(under('a/1', 'b')));
      await store.delete(`${root}/a/1`);
      expect(await keysUnder(`${root}/a`)).toEqual(under('a/2/x', 'a/2/y/z'));
    });

    it('lists keys below a folder with their sizes', async () => {
      const root = randomUUID();
      const sizes = { 'c/0': 0, 'c/1': 1, 'c/d/2': 70_000, 'cd/3': 3 };
      for (const [key, size] of Object.entries(sizes)) {
        await put(`${root}/${key}`, randomBytes(size));
      }
      const listed = async (prefix: string) => {
        const blobs: { key: string; size: number }[] = [];
        for await (const blob of store.listWithSizes(prefix)) blobs.push(blob);
        return blobs.sort((a, b) => a.key.localeCompare(b.key));
      };
      expect(await listed(`${root}/c`)).toEqual([
        { key: `${root}/c/0`, size: 0 },
        { key: `${root}/c/1`, size: 1 },
        { key: `${root}/c/d/2`, size: 70_000 },
      ]);
      await store.delete(`${root}/c/1`);
      expect((await listed(`${root}/c/`)).map((blob) => blob.key)).toEqual([
        `${root}/c/0`,
        `${root}/c/d/2`,
      ]);
      expect(await listed(`${root}/none`)).toEqual([]);
      expect(await listed('../outside')).toEqual([]);
    });

    it.each(['../outside', '/etc/passwd', 'a/../../outside', 'nul\0byte'])(
      'refuses the key %j, which escapes the store',
      async (key) => {
        const file = path.join(subject.scratchDir, randomUUID());
        await fsp.writeFile(file, 'x');
        await expect(store.putFile(key, file)).rejects.toThrow(/escapes the store/);
        expect(fs.existsSync(file)).toBe(true);
        expect(() => store.read(key)).toThrow(/escapes the store/);
        await expect(store.delete(key)).rejects.toThrow(/escapes the store/);
        await expect(Promise.resolve().then(() => store.localFile(key))).rejects.toThrow(
          /escapes the store/,
        );
        expect(await keysUnder(key)).toEqual([]);
      },
    );

    it('keeps a multi-megabyte file byte for byte (multipart on object storage)', async () => {
      const key = `${randomUUID()}/originals/big.mov`;
      const bytes = randomBytes(12 * 1024 * 1024 + 12_345);
      await put(key, bytes);
      expect(await store.size(key)).toBe(bytes.length);
      expect(sha1(await bytesOf(store.read(key)))).toBe(sha1(bytes));
      // Across the first 5 MiB part boundary.
      const across = { start: 5 * 1024 * 1024 - 100, end: 5 * 1024 * 1024 + 100 };
      const read = await bytesOf(store.read(key, across));
      expect(read.equals(bytes.subarray(across.start, across.end + 1))).toBe(true);
      const file = await store.localFile(key);
      expect(sha1(await fsp.readFile(file.path))).toBe(sha1(bytes));
      await file.release();
    });

    it('can stop reading early and read again', async () => {
      const key = `${randomUUID()}/video.mp4`;
      const bytes = randomBytes(3 * 1024 * 1024);
      await put(key, bytes);
      const stream = store.read(key);
      await new Promise<void>((resolve, reject) => {
        stream.once('data', () => {
          stream.destroy();
          resolve();
        });
        stream.once('error', reject);
      });
      expect(sha1(await bytesOf(store.read(key)))).toBe(sha1(bytes));
    });
  });
}
