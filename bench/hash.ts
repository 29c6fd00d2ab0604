/**
 * SHA-1 throughput: hashing a 1 GB file read in 1 MiB chunks (the ceiling), and a 1 GB upload
 * through the HTTP API of a real server (hashing while streaming to disk), with the server's
 * peak memory. Run: npx tsx bench/hash.ts [sizeMB]
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openAsBlob } from 'node:fs';
import sharp from 'sharp';
import { startServerProcess } from '../server/src/test/server-process.js';

const sizeMb = Number(process.argv[2] ?? 1024);
const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-bench-hash-'));
const file = path.join(dir, 'big.jpg');

// A valid JPEG header followed by filler, so the server accepts it as a photo.
const head = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#888' } })
  .jpeg()
  .toBuffer();
const out = fs.createWriteStream(file);
out.write(head);
const block = Buffer.alloc(1024 * 1024, 7);
for (let written = head.length; written < sizeMb * 1024 * 1024; written += block.length) {
  if (!out.write(block)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
}
await new Promise<void>((resolve) => out.end(() => resolve()));
const bytes = (await fsp.stat(file)).size;

let start = process.hrtime.bigint();
const hash = createHash('sha1');
for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 }))
  hash.update(chunk as Buffer);
hash.digest('hex');
const hashSeconds = Number(process.hrtime.bigint() - start) / 1e9;

const server = await startServerProcess({
  PIXELUNION_DATA_DIR: path.join(dir, 'data'),
  DATABASE_URL: '',
});
const credentials = { email: 'bench@example.org', password: 'a long password', name: 'Bench' };
const post = (url: string, body: unknown) =>
  fetch(server.url + url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
await post('/api/auth/setup', credentials);
const { token } = (await (await post('/api/auth/login', credentials)).json()) as { token: string };

let peakRss = 0;
const pid = server.child.pid ?? 0;
const sampler = setInterval(() => {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    peakRss = Math.max(peakRss, kb * 1024);
  } catch {
    // process gone
  }
}, 50);
const form = new FormData();
form.append('file', await openAsBlob(file), 'big.jpg');
start = process.hrtime.bigint();
const response = await fetch(`${server.url}/api/assets`, {
  method: 'POST',
  headers: { authorization: `Bearer ${token}` },
  body: form,
});
const uploadSeconds = Number(process.hrtime.bigint() - start) / 1e9;
clearInterval(sampler);
await server.stop();
await fsp.rm(dir, { recursive: true, force: true });

const mbps = (s: number) => (bytes / 1e6 / s).toFixed(0);
console.log(`file: ${(bytes / 1e6).toFixed(0)} MB`);
console.log(
  `sha1 of the file, 1 MiB reads: ${mbps(hashSeconds)} MB/s (${hashSeconds.toFixed(2)} s)`,
);
console.log(
  `upload through HTTP (stream + sha1 + write), status ${response.status}: ${mbps(uploadSeconds)} MB/s (${uploadSeconds.toFixed(2)} s)`,
);
console.log(`server peak RSS during the upload: ${(peakRss / 1e6).toFixed(0)} MB`);
