/**
 * SHA-1 throughput: the hash on 1 MiB buffers in memory, on a 1 GB file read in 1 MiB chunks,
 * and a 1 GB upload through the HTTP API of a real server (multipart, hashed while streaming to
 * disk), with the server's peak memory during it. Run: npx tsx bench/hash.ts [sizeMB]
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs, { openAsBlob } from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { startServerProcess } from '../server/src/test/server-process.js';

const execFileAsync = promisify(execFile);
const sizeMb = Number(process.argv[2] ?? 1024);
const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-bench-hash-'));
const file = path.join(dir, 'big.jpg');
const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

// A valid JPEG header followed by filler, so the server accepts it as a photo.
const head = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#888' } })
  .jpeg()
  .toBuffer();
const out = fs.createWriteStream(file);
out.write(head);
const block = Buffer.alloc(1024 * 1024, 7);
for (let written = head.length; written < sizeMb * 1024 * 1024; written += block.length) {
  if (!out.write(block))
    await new Promise<void>((resolve) =>
      out.once('drain', () => {
        resolve();
      }),
    );
}
await new Promise<void>((resolve) =>
  out.end(() => {
    resolve();
  }),
);
const bytes = (await fsp.stat(file)).size;

let start = process.hrtime.bigint();
const memoryHash = createHash('sha1');
for (let i = 0; i < sizeMb; i++) memoryHash.update(block);
memoryHash.digest('hex');
const memorySeconds = seconds(start);

start = process.hrtime.bigint();
const fileHash = createHash('sha1');
for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) {
  fileHash.update(chunk as Buffer);
}
fileHash.digest('hex');
const fileSeconds = seconds(start);

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
    peakRss = Math.max(peakRss, Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024);
  } catch {
    // the process is gone
  }
}, 50);

// curl is the client when the machine has it: Node's fetch spends more CPU building the
// multipart body than the server spends receiving it, on the same two cores.
const useCurl = spawnSync('curl', ['--version']).status === 0;
start = process.hrtime.bigint();
let status: number;
if (useCurl) {
  const curl = await execFileAsync('curl', [
    '-s', '-o', '/dev/null', '-w', '%{http_code}',
    '-H', `authorization: Bearer ${token}`,
    '-F', `file=@${file}`,
    `${server.url}/api/assets`,
  ]); // prettier-ignore
  status = Number(curl.stdout);
} else {
  const form = new FormData();
  form.append('file', await openAsBlob(file), 'big.jpg');
  const response = await fetch(`${server.url}/api/assets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  status = response.status;
}
const uploadSeconds = seconds(start);
clearInterval(sampler);
await server.stop();
await fsp.rm(dir, { recursive: true, force: true });

const mbps = (s: number) => (bytes / 1e6 / s).toFixed(0);
console.log(`size: ${(bytes / 1e6).toFixed(0)} MB`);
console.log(`sha1 of 1 MiB buffers in memory: ${mbps(memorySeconds)} MB/s`);
console.log(`sha1 of the file read in 1 MiB chunks: ${mbps(fileSeconds)} MB/s`);
console.log(
  `upload through HTTP with ${useCurl ? 'curl' : 'fetch'} (multipart + sha1 + write), ` +
    `status ${status}: ${mbps(uploadSeconds)} MB/s (${uploadSeconds.toFixed(2)} s)`,
);
console.log(`server peak RSS during the upload: ${(peakRss / 1e6).toFixed(0)} MB`);
