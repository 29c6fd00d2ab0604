import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBlobStoreContract } from './blob-store.contract.js';
import { LocalBlobStore } from './local.blob-store.js';
import { S3BlobStore } from './s3.blob-store.js';
import { startLocalS3, type LocalS3 } from './s3rver.testing.js';

async function tempDir(name: string): Promise<string> {
  return fsp.mkdtemp(path.join(os.tmpdir(), `pixelunion-${name}-`));
}

describeBlobStoreContract('local folder', async () => {
  const dir = await tempDir('local-blobs');
  return {
    store: new LocalBlobStore(path.join(dir, 'library'), 'local disk of this server'),
    scratchDir: dir,
    localFileIsCopy: false,
    close: () => fsp.rm(dir, { recursive: true, force: true }),
  };
});

describe('LocalBlobStore', () => {
  it('removes the folders a delete leaves empty, keeping each kind and owner folder', async () => {
    const dir = await tempDir('local-prune');
    const root = path.join(dir, 'library');
    const store = new LocalBlobStore(root, 'local disk of this server');
    const put = async (key: string) => {
      const file = path.join(dir, `${randomBytes(4).toString('hex')}.part`);
      await fsp.writeFile(file, key);
      await store.putFile(key, file);
    };
    try {
      await put('takeout/owner/import/part-1');
      await put('takeout/owner/import/part-2');
      await put('originals/owner/asset');
      await store.delete('takeout/owner/import/part-1');
      expect(await fsp.readdir(path.join(root, 'takeout/owner/import'))).toEqual(['part-2']);
      await store.delete('takeout/owner/import/part-2');
      expect(await fsp.readdir(path.join(root, 'takeout/owner'))).toEqual([]);
      await store.delete('originals/owner/asset');
      expect(await fsp.readdir(path.join(root, 'originals/owner'))).toEqual([]);
      // A later blob of the same import finds its folder made again.
      await put('takeout/owner/import/part-3');
      expect(await store.size('takeout/owner/import/part-3')).toBe(
        'takeout/owner/import/part-3'.length,
      );
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});

describeBlobStoreContract('S3-compatible object storage (s3rver)', async () => {
  const dir = await tempDir('s3-blobs');
  const s3 = await startLocalS3();
  // 5 MiB parts, so that the 12 MiB file of the contract goes up in three parts.
  const store = new S3BlobStore(s3.config('installation-a/'), {
    location: 'test server',
    tmpDir: path.join(dir, 'copies'),
    partSize: 5 * 1024 * 1024,
  });
  return {
    store,
    scratchDir: dir,
    localFileIsCopy: true,
    async close() {
      store.close();
      await s3.stop();
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
});

describe('S3BlobStore', () => {
  let s3: LocalS3;
  let dir: string;

  beforeAll(async () => {
    s3 = await startLocalS3();
    dir = await tempDir('s3-prefix');
  });
  afterAll(async () => {
    await s3.stop();
    await fsp.rm(dir, { recursive: true, force: true });
  });

  function storeWithPrefix(prefix: string): S3BlobStore {
    return new S3BlobStore(s3.config(prefix), { location: 'test', tmpDir: path.join(dir, 'tmp') });
  }

  it('keeps installations with different prefixes in one bucket apart', async () => {
    const a = storeWithPrefix('a/');
    const b = storeWithPrefix('b/');
    const file = path.join(dir, 'one');
    await fsp.writeFile(file, randomBytes(100));
    await a.putFile('originals/u/1', file);
    expect(await a.size('originals/u/1')).toBe(100);
    expect(await b.size('originals/u/1')).toBeNull();
    const listed: string[] = [];
    for await (const key of a.list('')) listed.push(key);
    expect(listed).toEqual(['originals/u/1']);
    for await (const key of b.list('')) listed.push(key);
    expect(listed).toEqual(['originals/u/1']);
    a.close();
    b.close();
  });

  it('lists past one page of keys', async () => {
    const store = storeWithPrefix('many/');
    // More than the 1,000 keys of one page; put ten at a time.
    for (let batch = 0; batch < 1005; batch += 10) {
      const numbers = Array.from({ length: Math.min(10, 1005 - batch) }, (_, i) => batch + i);
      await Promise.all(
        numbers.map(async (i) => {
          const file = path.join(dir, `small-${i}`);
          await fsp.writeFile(file, String(i));
          await store.putFile(`k/${String(i).padStart(4, '0')}`, file);
        }),
      );
    }
    let count = 0;
    for await (const key of store.list('k/')) {
      expect(key).toMatch(/^k\/\d{4}$/);
      count++;
    }
    expect(count).toBe(1005);
    store.close();
  });

  it('passes the start-up check on a bucket that exists', async () => {
    const store = storeWithPrefix('');
    await store.check();
    store.close();
  });
});
