/**
 * Ingest throughput: 8–12 MP JPEGs uploaded through the HTTP API of a real server until every
 * thumbnail is ready, against the bare sharp ceiling (the same two outputs made directly with
 * sharp, as many at a time as the server's job workers).
 *
 * Run: npx tsx bench/ingest.ts [count] [--concurrency=2,3] [--uploads=3]
 *   count          photos to generate and upload (default 200)
 *   --concurrency  PIXELUNION_JOB_CONCURRENCY values to try (default 2,3; the server's default is 2)
 *   --uploads      upload requests in flight at once (default 3)
 * The photos are made in a temporary folder from the small real photos of the shared corpus,
 * scaled up to 12 MP or 8 MP with film grain so that they weigh what camera files weigh.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { loadConfig } from '../server/src/config.js';
import { startServerProcess } from '../server/src/test/server-process.js';
import { cpuSeconds, loadAverage as load, pool } from './measure.js';
import {
  cameraPhotoSources,
  countThumbnails,
  makeCameraPhotos,
  uploadPhotos,
  waitForJobs,
} from './photo-ingest.js';
import { createBenchUser } from './synthetic-library.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const count = Number(args.find((a) => !a.startsWith('--')) ?? 200);
const concurrencies = (option('concurrency') ?? '2,3').split(',').map(Number);
const uploadsInFlight = Number(option('uploads') ?? 3);

const seconds = (start: number) => (performance.now() - start) / 1000;

console.log(`load average before: ${load()}`);
const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-bench-ingest-'));
try {
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, node ${process.version}, sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips}), sharp.concurrency() ${sharp.concurrency()}`,
  );
  console.log(
    `server: PIXELUNION_JOB_CONCURRENCY default ${loadConfig({}).jobConcurrency}, this run tries ${concurrencies.join(', ')}`,
  );

  const start = performance.now();
  const { files, meanBytes } = await makeCameraPhotos(dir, count);
  console.log(
    `corpus: ${count} JPEGs (${Math.ceil(count / 2)} × 12 MP 4000×3000, ${Math.floor(count / 2)} × 8 MP 3264×2448) from ${cameraPhotoSources.length} real photos, mean ${(meanBytes / 1e6).toFixed(2)} MB, made in ${seconds(start).toFixed(0)} s`,
  );

  const ceiling = async (parallel: number) => {
    const out = await fsp.mkdtemp(path.join(dir, 'ceiling-'));
    const t = performance.now();
    const cpu = process.cpuUsage();
    await pool(count, parallel, async (i) => {
      const file = files[i] ?? '';
      await sharp(file)
        .rotate()
        .resize({ height: 250 })
        .webp()
        .toFile(path.join(out, `${i}.webp`));
      await sharp(file)
        .rotate()
        .resize(1440, 1440, { fit: 'inside' })
        .jpeg()
        .toFile(path.join(out, `${i}.jpg`));
    });
    const s = seconds(t);
    const used = process.cpuUsage(cpu);
    await fsp.rm(out, { recursive: true, force: true });
    return { rate: count / s, cpuPerPhoto: (used.user + used.system) / 1e6 / count };
  };

  const ingest = async (concurrency: number) => {
    const server = await startServerProcess({
      PIXELUNION_DATA_DIR: path.join(dir, `data-${concurrency}`),
      DATABASE_URL: '',
      PIXELUNION_JOB_CONCURRENCY: String(concurrency),
    });
    server.child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    let peakRss = 0;
    const sampler = setInterval(() => {
      try {
        const status = fs.readFileSync(`/proc/${String(server.child.pid)}/status`, 'utf8');
        peakRss = Math.max(peakRss, Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024);
      } catch {
        // the process has ended
      }
    }, 100);
    try {
      const base = server.url.replace('localhost', '127.0.0.1');
      const { token } = await createBenchUser(base);

      const pid = server.child.pid ?? 0;
      const cpu = cpuSeconds(pid);
      const t = performance.now();
      const ids = await uploadPhotos(base, token, files, uploadsInFlight);
      const uploaded = seconds(t);
      const queues = await waitForJobs(base, token);
      const done = seconds(t);
      const after = cpuSeconds(pid);
      const serverCpu = (after.server - cpu.server) / count;
      const childrenCpu = (after.children - cpu.children) / count;

      const failed = queues.reduce((n, q) => n + q.failed, 0);
      const ready = await countThumbnails(base, token, ids);
      return { uploaded, done, failed, ready, peakRss, serverCpu, childrenCpu };
    } finally {
      clearInterval(sampler);
      await server.stop();
    }
  };

  // A few files first so that neither side pays for loading libvips in its measurement.
  await pool(4, 2, async (i) => {
    await sharp(files[i] ?? '')
      .rotate()
      .resize({ height: 250 })
      .webp()
      .toBuffer();
  });
  for (const concurrency of concurrencies) {
    const { rate: ceilingRate, cpuPerPhoto: ceilingCpu } = await ceiling(concurrency);
    console.log(
      `\nsharp ceiling, ${concurrency} at a time: ${ceilingRate.toFixed(2)} photos/s (WebP 250 px tall + JPEG within 1440×1440, .rotate())`,
    );
    const r = await ingest(concurrency);
    const rate = count / r.done;
    console.log(
      `ingest, PIXELUNION_JOB_CONCURRENCY=${concurrency}, ${uploadsInFlight} uploads in flight: uploads answered in ${r.uploaded.toFixed(1)} s, every job done in ${r.done.toFixed(1)} s → ${rate.toFixed(2)} photos/s`,
    );
    console.log(
      `  thumbnails ready ${r.ready}/${count}, failed jobs ${r.failed}, server peak RSS ${(r.peakRss / 1e6).toFixed(0)} MB`,
    );
    console.log(`  ratio ingest / ceiling: ${(rate / ceilingRate).toFixed(2)} (target ≥ 0.8)`);
    const ingestCpu = r.serverCpu + r.childrenCpu;
    const ms = (n: number) => `${(n * 1000).toFixed(0)} ms`;
    console.log(
      `  CPU per photo: ceiling ${ms(ceilingCpu)}, server ${ms(ingestCpu)} (node ${ms(r.serverCpu)} + exiftool ${ms(r.childrenCpu)}) → CPU ratio ${(ceilingCpu / ingestCpu).toFixed(2)}`,
    );
  }
  console.log(`\nload average after: ${load()}`);
} finally {
  await fsp.rm(dir, { recursive: true, force: true });
}
