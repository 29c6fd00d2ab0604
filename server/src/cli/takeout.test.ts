import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, corpus, createApiKey, createUser, type TestUser } from '../test/factories.js';
import { startTestServer, type TestServer } from '../test/test-server.js';
import type { AssetView } from '../modules/assets/assets.view.js';
import { corpusReportSummary } from '../modules/takeout/takeout.corpus.testing.js';
import { zipTree } from '../modules/takeout/takeout.testing.js';
import type { TakeoutProgress } from '../modules/takeout/takeout.view.js';
import { startCli, startProxy } from './cli.testing.js';
import type { TakeoutReport } from './takeout.command.js';
import { TusClient } from './tus-client.js';

const trees = ['Takeout1', 'Takeout2', 'Takeout3'].map((t) => path.join(corpus, 'takeout', t));

const importTakeout = (args: string[], cwd: string) =>
  startCli(['import-takeout', ...args], { cwd });
const runImport = (args: string[], cwd: string) => importTakeout(args, cwd).done;

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

  const keyOf = (user: TestUser) => createApiKey(server, user, 'takeout cli');
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
    const result = await runImport(
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
      const first = importTakeout(args, cwd);
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
      const second = await runImport(args, cwd);
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

    const result = await runImport(
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
      runImport([zips[0] ?? '', missing, '--server', server.url, '--api-key', apiKey], cwd),
      runImport([text, '--server', server.url, '--api-key', apiKey], cwd),
      runImport([zips[0] ?? ''], cwd),
      runImport([zips[0] ?? '', '--server', server.url, '--api-key', 'pua_wrong'], cwd),
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
});
