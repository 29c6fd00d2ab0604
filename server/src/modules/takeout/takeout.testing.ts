// Test support: Takeout parts built from the corpus trees, and an import run through the API.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import tar from 'tar-stream';
import yazl from 'yazl';
import { api, corpus, type TestUser } from '../../test/factories.js';
import type { TestServer } from '../../test/test-server.js';
import { tusCreate } from '../uploads/uploads.testing.js';
import type { TakeoutReport } from './takeout.report.js';
import type { TakeoutProgress } from './takeout.view.js';

export const takeoutTree = (name: string): string => path.join(corpus, 'takeout', name);

/** Every file of a corpus tree with its name in an export: `Takeout/Google Photos/<path>`. */
async function treeEntries(tree: string): Promise<{ name: string; file: string }[]> {
  const out: { name: string; file: string }[] = [];
  const walk = async (dir: string) => {
    for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else {
        const relative = path.relative(tree, full).split(path.sep).join('/');
        out.push({
          name: `Takeout/Google Photos/${relative.replace(/^Google Photos\//, '')}`,
          file: full,
        });
      }
    }
  };
  await walk(tree);
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** A part as Google writes it, with `extra` entries (stored uncompressed) after the tree's. */
export async function zipTree(
  tree: string,
  target: string,
  extra: { name: string; data: Buffer }[] = [],
): Promise<string> {
  const zip = new yazl.ZipFile();
  for (const { name, file } of await treeEntries(tree)) zip.addFile(file, name);
  for (const { name, data } of extra) zip.addBuffer(data, name, { compress: false });
  zip.end();
  await pipeline(zip.outputStream, fs.createWriteStream(target));
  return target;
}

export async function tgzTrees(trees: readonly string[], target: string): Promise<string> {
  const pack = tar.pack();
  const writing = pipeline(pack, createGzip(), fs.createWriteStream(target));
  for (const tree of trees) {
    for (const { name, file } of await treeEntries(tree)) {
      pack.entry({ name }, await fsp.readFile(file));
    }
  }
  pack.finalize();
  await writing;
  return target;
}

export type ImportReport = TakeoutReport;

export async function createImport(server: TestServer, user: TestUser): Promise<string> {
  const created = await api<TakeoutProgress>(server, 'POST', '/api/takeout/imports', {
    token: user.token,
  });
  if (created.status !== 201) throw new Error(`create: ${created.status}`);
  return created.body.id;
}

/** Uploads a part with tus in one request (creation-with-upload); answers the part's id. */
export async function uploadPart(
  server: TestServer,
  user: TestUser,
  importId: string,
  file: string,
): Promise<string> {
  const body = await fsp.readFile(file);
  const response = await tusCreate(server, user, body.length, {
    body,
    meta: { filename: path.basename(file), takeoutImportId: importId },
  });
  if (
    response.status !== 201 ||
    response.headers.get('pixelunion-asset-status') !== 'takeout-part'
  ) {
    throw new Error(`part upload: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.headers.get('pixelunion-asset-id') ?? '';
}

export async function waitForImport(
  server: TestServer,
  user: TestUser,
  importId: string,
  timeoutMs = 120_000,
): Promise<TakeoutProgress> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await api<TakeoutProgress>(server, 'GET', `/api/takeout/imports/${importId}`, {
      token: user.token,
    });
    if (['done', 'failed', 'cancelled'].includes(body.status)) return body;
    if (Date.now() > deadline)
      throw new Error(`import still ${body.status}: ${JSON.stringify(body)}`);
    await sleep(100);
  }
}

export async function reportOf(
  server: TestServer,
  user: TestUser,
  importId: string,
): Promise<ImportReport> {
  const { status, body } = await api<ImportReport>(
    server,
    'GET',
    `/api/takeout/imports/${importId}/report`,
    { token: user.token },
  );
  if (status !== 200) throw new Error(`report: ${status}`);
  return body;
}

/** Creates an import, uploads the parts, starts it and waits for its end and its report. */
export async function importParts(
  server: TestServer,
  user: TestUser,
  parts: readonly string[],
): Promise<{ progress: TakeoutProgress; report: ImportReport }> {
  const id = await createImport(server, user);
  for (const part of parts) await uploadPart(server, user, id, part);
  const started = await api(server, 'POST', `/api/takeout/imports/${id}/start`, {
    token: user.token,
  });
  if (started.status !== 200) throw new Error(`start: ${started.status}`);
  const progress = await waitForImport(server, user, id);
  return { progress, report: await reportOf(server, user, id) };
}
