import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { api, corpus, createUser, type TestUser } from '../test/factories.js';
import { startTestServer, type TestServer } from '../test/test-server.js';
import type { AssetView } from '../modules/assets/assets.view.js';
import { corpusReportSummary } from '../modules/takeout/takeout.corpus.testing.js';
import type { TakeoutProgress } from '../modules/takeout/takeout.view.js';
import type { TakeoutReport } from './takeout.command.js';
import { TusClient } from './tus-client.js';

const bin = path.resolve(import.meta.dirname, '../../../bin/pixelunion.mjs');
const trees = ['Takeout1', 'Takeout2', 'Takeout3'].map((t) => path.join(corpus, 'takeout', t));

interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a child process (asynchronously: the server runs in this process). */
function startCli(args: string[], cwd: string) {
  const child = spawn(process.execPath, [bin, 'import-takeout', ...args], {
    cwd,
    env: { ...process.env, PIXELUNION_SERVER: '', PIXELUNION_API_KEY: '' },
  });
  const run: CliRun = { status: null, stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (run.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
  const done = new Promise<CliRun>((resolve) => {
    child.on('close', (status) => {
      run.status = status;
      resolve(run);
    });
  });
  return { child, run, done };
}

const runCli = (args: string[], cwd: string) => startCli(args, cwd).done;

/** A part as Google writes it: every file of a corpus tree under `Takeout/Google Photos/`. */
async function zipTree(
  tree: string,
  target: string,
  extra: { name: string; data: Buffer }[] = [],
): Promise<string> {
  const zip = new yazl.ZipFile();
  const walk = async (dir: string) => {
    for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else {
        const relative = path.relative(tree, full).split(path.sep).join('/');
        zip.addFile(full, `Takeout/Google Photos/${relative.replace(/^Google Photos\//, '')}`);
      }
    }
  };
  await walk(tree);
  for (const { name, data } of extra) zip.addBuffer(data, name, { compress: false });
  zip.end();
  await pipeline(zip.outputStream, fs.createWriteStream(target));
  return target;
}

/**
 * A TCP proxy in front of the server that counts the bytes sent to it, and can slow them down
 * (`bytesPerSecond`) or cut the connection once `cutAt` bytes have passed.
 */
async function startProxy(target: string) {
  const { hostname, port } = new URL(target);
  const sockets = new Set<net.Socket>();
  const state = { upstream: 0, bytesPerSecond: 0, cutAt: null as number | null };
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    upstream.pipe(client);
    void (async () => {
      for await (const chunk of client as AsyncIterable<Buffer>) {
        state.upstream += chunk.length;
        if (state.cutAt !== null && state.upstream >= state.cutAt) {
          state.cutAt = null;
          end();
          return;
        }
        if (!upstream.write(chunk)) await once(upstream, 'drain');
        if (state.bytesPerSecond > 0) await sleep((chunk.length / state.bytesPerSecond) * 1000);
      }
      upstream.end();
    })().catch(end);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as net.AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${address.port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  });
}

const line = (report: TakeoutReport, suffix: string) => {
  const found = report.files.find((f) => f.path.endsWith(suffix));
  if (!found) throw new Error(`no report line for ${suffix}`);
  return found;
};

const stateFiles = async (dir: string) =>
  (await fsp.readdir(dir)).filter((name) => name.startsWith('.pixelunion-takeout-'));

describe('pixelunion import-takeout', () => {
  let server: TestServer;
  let admin: TestUser;
  let apiKey: string;
  let dir: string;
  let zips: string[];

  const keyOf = async (user: TestUser) =>
    (
      await api<{ key: string }>(server, 'POST', '/api/api-keys', {
        token: user.token,
        body: { name: 'takeout cli' },
      })
    ).body.key;
  const workDir = (name: string) => fsp.mkdtemp(path.join(dir, `${name}-`));

  beforeAll(async () => {
    server = await startTestServer();
    admin = await createUser(server);
    apiKey = await keyOf(admin);
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'takeout-cli-'));
    zips = await Promise.all(
      trees.map((tree, i) => zipTree(tree, path.join(dir, `takeout-00${i + 1}.zip`))),
    );
  });
  afterAll(async () => {
    await server.close();
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('imports the parts and prints the report as JSON', async () => {
    const cwd = await workDir('json');
    const result = await runCli(
      [...zips, '--server', server.url, '--api-key', apiKey, '--json'],
      cwd,
    );
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as TakeoutReport;
    expect(report.import.status).toBe('done');
    expect(report.summary).toMatchObject(corpusReportSummary);
    const moved = line(report, '/DSC_0238(1).JPG');
    expect(moved.part).toBe('takeout-003.zip');
    expect(moved.sidecar).toMatch(/DSC_0238\.JPG\(1\)\.json$/);
    expect(moved.outcome).toBe('skipped');
    expect(report.albums.map((a) => a.title)).toContain('Album test 6/10/23');

    const eiffel = line(report, 'Photos from 2023/PXL_20231006_063000139.jpg');
    const inAlbum = line(report, 'Album test 6-10-23/PXL_20231006_063000139.jpg');
    const assetId = eiffel.assetId ?? inAlbum.assetId;
    const asset = await api<AssetView>(server, 'GET', `/api/assets/${assetId ?? ''}`, {
      headers: { 'x-api-key': apiKey },
    });
    expect(asset.status).toBe(200);
    expect(asset.body.takenAt).toBe('2023-10-06T06:30:00.000Z');
    expect(asset.body.latitude).toBeCloseTo(48.8583736, 6);

    // Done: no state left behind, and with --json no report file either.
    expect(await fsp.readdir(cwd)).toEqual([]);
  });

  it('continues an interrupted import, each part from the offset the server has', async () => {
    const user = await createUser(server, { admin });
    const key = await keyOf(user);
    const cwd = await workDir('resume');
    const big = await zipTree(trees[2] ?? '', path.join(dir, 'takeout-big.zip'), [
      { name: 'Takeout/Google Photos/Photos from 2023/big.bin', data: Buffer.alloc(40e6, 7) },
    ]);
    const parts = [big, zips[0] ?? '', zips[1] ?? ''];
    const sizes = await Promise.all(parts.map(async (p) => (await fsp.stat(p)).size));
    const proxy = await startProxy(server.url);
    try {
      // Slowed down, so that the upload of the large part is surely under way when it dies.
      proxy.bytesPerSecond = 20e6;
      const args = [...parts, '--server', proxy.url, '--api-key', key, '--json'];
      const first = startCli(args, cwd);
      const deadline = Date.now() + 20_000;
      while (proxy.upstream < 8e6 && first.run.status === null && Date.now() < deadline) {
        await sleep(20);
      }
      first.child.kill('SIGKILL');
      await first.done;
      expect(await stateFiles(cwd)).toHaveLength(1);

      // The server keeps what it received before the connection died.
      let offset = 0;
      while (Date.now() < deadline) {
        const row = await server.ctx.database.db
          .selectFrom('resumable_uploads')
          .select(['upload_offset', 'lock_token'])
          .where('owner_id', '=', user.id)
          .executeTakeFirst();
        if (row && row.upload_offset > 0 && row.lock_token === null) {
          offset = row.upload_offset;
          break;
        }
        await sleep(20);
      }
      expect(offset).toBeGreaterThan(1e6);
      expect(offset).toBeLessThan(sizes[0] ?? 0);

      proxy.bytesPerSecond = 0;
      proxy.upstream = 0;
      const second = await runCli(args, cwd);
      expect(second.status, second.stderr).toBe(0);
      expect(second.stderr).toContain(`takeout-big.zip: resuming at ${offset} bytes`);
      expect(second.stderr).toMatch(/Continuing import [0-9a-f-]+ \(uploading\)/);
      // Only the rest of the large part went over the wire again (plus the small parts).
      const rest = (sizes[0] ?? 0) - offset + (sizes[1] ?? 0) + (sizes[2] ?? 0);
      expect(proxy.upstream).toBeGreaterThan(rest);
      expect(proxy.upstream).toBeLessThan(rest + 500_000);

      const report = JSON.parse(second.stdout) as TakeoutReport;
      expect(report.import.parts.map((p) => p.size)).toEqual(sizes);
      expect(report.import.parts.map((p) => p.status)).toEqual(['indexed', 'indexed', 'indexed']);
      expect(report.summary).toMatchObject({ imported: 9, duplicates: 2, failed: 0, pending: 0 });
      expect(line(report, 'Photos from 2023/big.bin').part).toBe('takeout-big.zip');
      expect(await stateFiles(cwd)).toEqual([]);
      // One import, not two.
      const imports = await api<TakeoutProgress[]>(server, 'GET', '/api/takeout/imports', {
        token: user.token,
      });
      expect(imports.body.map((i) => i.status)).toEqual(['done']);
    } finally {
      await proxy.close();
    }
  });

  it('continues the import of a --state file, and prints a human summary', async () => {
    const user = await createUser(server, { admin });
    const key = await keyOf(user);
    const cwd = await workDir('state');
    const first = zips[0] ?? '';
    // As if the CLI died between the end of the first part's upload and the writing of its state.
    const created = await api<TakeoutProgress>(server, 'POST', '/api/takeout/imports', {
      token: user.token,
    });
    const uploaded = await new TusClient(`${server.url}/api/uploads`, {
      'x-api-key': key,
    }).upload({
      file: first,
      metadata: { filename: 'takeout-001.zip', takeoutImportId: created.body.id },
    });
    const stateFile = path.join(cwd, 'import.state');
    const parts: Record<string, { size: number; mtimeMs: number }> = {};
    for (const part of zips) {
      const { size, mtimeMs } = await fsp.stat(part);
      parts[part] = { size, mtimeMs };
    }
    await fsp.writeFile(
      stateFile,
      JSON.stringify({ version: 1, server: server.url, importId: created.body.id, parts }),
    );

    const result = await runCli(
      [...zips, '--state', stateFile, '--server', server.url, '--api-key', key],
      cwd,
    );
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain(`Continuing import ${created.body.id} (uploading)`);
    // Not a terminal: progress as plain lines on standard error.
    expect(result.stderr).toContain('uploading takeout-002.zip (2/3)');
    expect(result.stderr).toContain('takeout-003.zip: uploaded');
    // The first part was not sent again: one upload for each part.
    const uploads = await server.ctx.database.db
      .selectFrom('resumable_uploads')
      .select('id')
      .where('owner_id', '=', user.id)
      .execute();
    expect(uploads).toHaveLength(3);

    expect(result.stdout).toContain(`Import ${created.body.id}: done.`);
    expect(result.stdout).toMatch(/imported\s+9\n/);
    expect(result.stdout).toMatch(/duplicates\s+2\s/);
    expect(result.stdout).toMatch(/skipped\s+3\n/);
    expect(result.stdout).toContain('Album test 6/10/23');
    expect(result.stdout).toMatch(/shared with you/);
    expect(result.stdout).toContain('Not imported (3):');
    expect(result.stdout).toMatch(/skipped\s+\S.*DSC_0238\(1\)\.JPG \(takeout-003\.zip\): .*empty/);
    const reportFile = path.join(cwd, `takeout-report-${created.body.id}.json`);
    expect(result.stdout).toContain(reportFile);
    // The state file is gone; the report is what is left.
    expect(await fsp.readdir(cwd)).toEqual([path.basename(reportFile)]);
    const report = JSON.parse(await fsp.readFile(reportFile, 'utf8')) as TakeoutReport;
    expect(report.import.parts.map((p) => p.id)[0]).toBe(uploaded.assetId);
    expect(report.summary).toMatchObject({ imported: 9, duplicates: 2, skipped: 3 });
  });

  it('refuses bad arguments with exit status 2, a bad key with 1', async () => {
    const cwd = await workDir('usage');
    const missing = path.join(dir, 'takeout-404.zip');
    const text = path.join(dir, 'notes.txt');
    await fsp.writeFile(text, 'not a part');
    const [absent, notPart, noServer, badKey] = await Promise.all([
      runCli([zips[0] ?? '', missing, '--server', server.url, '--api-key', apiKey], cwd),
      runCli([text, '--server', server.url, '--api-key', apiKey], cwd),
      runCli([zips[0] ?? ''], cwd),
      runCli([zips[0] ?? '', '--server', server.url, '--api-key', 'pua_wrong'], cwd),
    ]);
    expect(absent.status).toBe(2);
    expect(absent.stderr).toContain(`No such file: ${missing}`);
    expect(notPart.status).toBe(2);
    expect(notPart.stderr).toContain(`Not a Takeout part (a .zip, .tgz or .tar.gz file): ${text}`);
    expect(noServer.status).toBe(2);
    expect(noServer.stderr).toContain('Missing --server.');
    expect(noServer.stderr).toContain('Missing --api-key.');
    expect(badKey.status).toBe(1);
    expect(badKey.stderr).toContain('401');
    // Nothing was started: no state file.
    expect(await fsp.readdir(cwd)).toEqual([]);
  });

  describe('tus client', () => {
    it('sends a file in chunks and carries on after a dropped connection', async () => {
      const created = await api<TakeoutProgress>(server, 'POST', '/api/takeout/imports', {
        token: admin.token,
      });
      const proxy = await startProxy(server.url);
      try {
        const file = zips[0] ?? '';
        const { size } = await fsp.stat(file);
        proxy.cutAt = Math.floor(size / 2);
        const logged: string[] = [];
        const offsets: number[] = [];
        const client = new TusClient(
          `${proxy.url}/api/uploads`,
          { 'x-api-key': apiKey },
          {
            chunkBytes: 256 * 1024,
            // Growing waits: on object storage the cut request keeps the upload (423) until
            // the bytes it received are stored, which takes a moment.
            retry: { maxFailures: 5, delayMs: (failure) => 10 * 4 ** (failure - 1) },
            log: (l) => logged.push(l),
          },
        );
        let url = '';
        const result = await client.upload({
          file,
          metadata: { filename: 'takeout-001.zip', takeoutImportId: created.body.id },
          onUrl: (u) => {
            url = u;
          },
          onProgress: (offset) => offsets.push(offset),
        });
        expect(result).toMatchObject({ url, length: size, assetStatus: 'takeout-part' });
        expect(logged.length).toBeGreaterThanOrEqual(1);
        expect(logged[0]).toMatch(/asking the server where to continue/);
        // After the one dropped connection, only waits for the cut request to let go: 423 while it
        // stores what it received, or 409 when it saved a newer offset after the client asked.
        for (const line of logged.slice(1)) {
          expect(line).toMatch(/\b423\b.*another request|expected another offset/i);
        }
        expect(offsets.at(-1)).toBe(size);
        // Less than the file sent twice: it went on from the server's offset.
        expect(proxy.upstream).toBeLessThan(size * 1.6);

        const progress = await api<TakeoutProgress>(
          server,
          'GET',
          `/api/takeout/imports/${created.body.id}`,
          { token: admin.token },
        );
        expect(progress.body.parts).toEqual([
          expect.objectContaining({ id: result.assetId, size, fileName: 'takeout-001.zip' }),
        ]);
        // Asked again for a finished upload, it answers the same part without sending a byte.
        const sent = proxy.upstream;
        const again = await client.upload({ file, metadata: {}, url });
        expect(again.assetId).toBe(result.assetId);
        expect(proxy.upstream - sent).toBeLessThan(2000);
      } finally {
        await proxy.close();
        await api(server, 'POST', `/api/takeout/imports/${created.body.id}/cancel`, {
          token: admin.token,
        });
      }
    });

    it('gives up after five failures in a row, saying why', async () => {
      const closed = net.createServer();
      closed.listen(0, '127.0.0.1');
      await once(closed, 'listening');
      const { port } = closed.address() as net.AddressInfo;
      await new Promise((resolve) => closed.close(resolve));
      const client = new TusClient(
        `http://127.0.0.1:${port}/api/uploads`,
        {},
        {
          retry: { maxFailures: 5, delayMs: () => 1 },
        },
      );
      await expect(client.upload({ file: zips[0] ?? '', metadata: {} })).rejects.toThrow(
        /gave up after 5 failures in a row \(last: .*ECONNREFUSED/,
      );
    });
  });
});
