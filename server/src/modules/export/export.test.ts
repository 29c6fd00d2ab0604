import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, waitForJobs } from '../../test/factories.js';
import { dialects } from '../../test/test-server.js';
import { unzip } from '../../test/zip.js';
import {
  fetchBytes,
  partSize,
  runExport,
  startExportFixture,
  type ExportFixture,
} from './export.testing.js';
import type { ExportView } from './export.view.js';

describe.each(dialects)('full export over HTTP on %s', (dialect) => {
  let fixture: ExportFixture;

  beforeAll(async () => {
    fixture = await startExportFixture(dialect);
  }, 180_000);
  afterAll(() => fixture.server.close());

  it('makes the export in several parts, each a zip of its announced size', async () => {
    const { server, lib, view, parts, files, root } = fixture;
    expect(view.status, view.error ?? '').toBe('ready');
    expect(view.progress).toEqual({ assets: 8, assetsDone: 8 });
    expect(view.parts.length).toBeGreaterThanOrEqual(2);
    expect(view.totalBytes).toBe(view.parts.reduce((sum, p) => sum + p.size, 0));
    for (const [i, part] of view.parts.entries()) {
      expect(part.size).toBeLessThanOrEqual(partSize);
      expect(parts[i]?.length).toBe(part.size);
      expect(part.fileName).toMatch(new RegExp(`-part-${i + 1}-of-${view.parts.length}\\.zip$`));
      const head = await fetchBytes(server, lib.owner, part.url, { range: 'bytes=0-3' });
      expect(head.status).toBe(206);
      expect(head.headers.get('content-range')).toBe(`bytes 0-3/${part.size}`);
      expect(head.bytes.equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))).toBe(true);
    }
    const whole = await fetchBytes(server, lib.owner, view.parts[0]?.url ?? '');
    expect(whole.headers.get('content-type')).toBe('application/zip');
    expect(whole.headers.get('content-length')).toBe(String(view.parts[0]?.size));
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('content-disposition')).toContain(view.parts[0]?.fileName);
    const head = await fetch(server.url + (view.parts[0]?.url ?? ''), {
      method: 'HEAD',
      headers: lib.owner.headers,
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(view.parts[0]?.size));
    // The same bytes on every request: a download can continue anywhere.
    expect(whole.bytes.equals(parts[0] ?? Buffer.alloc(0))).toBe(true);
    expect(root).toMatch(/^PixelUnion export \d{4}-\d{2}-\d{2}$/);
    for (const name of files.keys()) {
      expect(name.startsWith(`${root}/`), name).toBe(true);
      expect(name.split('/')).not.toContain('..');
      // eslint-disable-next-line no-control-regex
      expect(name, name).not.toMatch(/[\\\u0000-\u001f]/);
    }
  });

  it('serves each part by Range requests that add up to the same bytes; 416 past the end', async () => {
    const { server, lib, view, parts } = fixture;
    for (const [i, part] of view.parts.entries()) {
      const cuts = [0, 17, Math.floor(part.size / 3), Math.floor(part.size / 2) + 5, part.size];
      const pieces: Buffer[] = [];
      for (let c = 0; c + 1 < cuts.length; c++) {
        const [start = 0, next = 0] = [cuts[c], cuts[c + 1]];
        const response = await fetchBytes(server, lib.owner, part.url, {
          range: `bytes=${start}-${next - 1}`,
        });
        expect(response.status).toBe(206);
        pieces.push(response.bytes);
      }
      expect(Buffer.concat(pieces).equals(parts[i] ?? Buffer.alloc(0))).toBe(true);
      const tail = await fetchBytes(server, lib.owner, part.url, { range: 'bytes=-100' });
      expect(tail.bytes.equals(parts[i]?.subarray(-100) ?? Buffer.alloc(0))).toBe(true);
      const beyond = await fetchBytes(server, lib.owner, part.url, {
        range: `bytes=${part.size}-`,
      });
      expect(beyond.status).toBe(416);
    }
    const noPart = await fetchBytes(server, lib.owner, `/api/exports/${view.id}/parts/99`);
    expect(noPart.status).toBe(404);
  });

  it('is the owner’s alone', async () => {
    const { server, lib, view } = fixture;
    const headers = lib.other.headers;
    for (const url of [`/api/exports/${view.id}`, `/api/exports/${view.id}/parts/1`]) {
      const response = await fetch(server.url + url, { headers });
      expect(response.status, url).toBe(404);
    }
    const deleted = await api(server, 'DELETE', `/api/exports/${view.id}`, {
      token: lib.other.token,
    });
    expect(deleted.status).toBe(404);
    const list = await api<ExportView[]>(server, 'GET', '/api/exports', { token: lib.other.token });
    expect(list.body).toEqual([]);
    const anonymous = await fetch(`${server.url}/api/exports/${view.id}/parts/1`);
    expect(anonymous.status).toBe(401);
  });

  it('refuses a part whose original is gone, before its first byte', async () => {
    const { server, lib, view, parts, root, documents } = fixture;
    const id = lib.ids.archived;
    const key = `originals/${lib.owner.id}/${id}`;
    const relative = documents.get(id)?.file.path ?? '';
    let part: ExportView['parts'][number] | undefined;
    for (const [i, bytes] of parts.entries()) {
      if ((await unzip(bytes)).has(`${root}/${relative}`)) part = view.parts[i];
    }
    if (!part) throw new Error('no part holds the archived photo');
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-gone-'));
    await server.ctx.blobs.delete(key);
    try {
      const refused = await fetchBytes(server, lib.owner, part.url);
      expect(refused.status).toBe(404);
      expect(refused.bytes.toString()).toContain(relative);
      // The other parts are whole.
      for (const other of view.parts.filter((p) => p !== part)) {
        expect((await fetchBytes(server, lib.owner, other.url)).status).toBe(200);
      }
    } finally {
      const file = path.join(dir, 'original');
      await fsp.writeFile(file, lib.uploaded.get(id) ?? Buffer.alloc(0));
      await server.ctx.blobs.putFile(key, file);
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  it('deletes an export with its files; expired exports go by themselves', async () => {
    const { server, lib, view } = fixture;
    const keys = async (id: string) => {
      const found: string[] = [];
      for await (const key of server.ctx.blobs.list(`exports/${lib.owner.id}/${id}/`)) {
        found.push(key);
      }
      return found;
    };
    expect((await keys(view.id)).length).toBeGreaterThan(0);
    const second = await runExport(server, lib.owner, partSize);
    expect(second.status).toBe('ready');
    const list = await api<ExportView[]>(server, 'GET', '/api/exports', { token: lib.owner.token });
    expect(list.body.map((e) => e.id)).toEqual([second.id, view.id]);

    const deleted = await api(server, 'DELETE', `/api/exports/${view.id}`, {
      token: lib.owner.token,
    });
    expect(deleted.status).toBe(204);
    expect(
      (await api(server, 'GET', `/api/exports/${view.id}`, { token: lib.owner.token })).status,
    ).toBe(404);
    await waitForJobs(server);
    expect(await keys(view.id)).toEqual([]);
    for (const id of lib.uploaded.keys()) {
      expect(await server.ctx.blobs.size(`originals/${lib.owner.id}/${id}`)).not.toBeNull();
    }

    expect(await server.ctx.exports.purgeExpired(Date.now())).toBe(0);
    expect(await server.ctx.exports.purgeExpired(Date.now() + 8 * 86_400_000)).toBe(1);
    await waitForJobs(server);
    expect(await keys(second.id)).toEqual([]);
    const after = await api(server, 'GET', `/api/exports/${second.id}`, { token: lib.owner.token });
    expect(after.status).toBe(404);
  });
});
