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
import { createHash } from 'node:crypto';
import fs, { openAsBlob } from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { loadConfig } from '../server/src/config.js';
import { startServerProcess } from '../server/src/test/server-process.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const count = Number(args.find((a) => !a.startsWith('--')) ?? 200);
const concurrencies = (option('concurrency') ?? '2,3').split(',').map(Number);
const uploadsInFlight = Number(option('uploads') ?? 3);

const photos = path.resolve(import.meta.dirname, '../../shared/corpus/photos');
const exif = path.join(photos, 'exif-samples/jpg');
const jpegsIn = (dir: string) =>
  fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.jpg'))
    .map((f) => path.join(dir, f));
// Real photos with their EXIF; the 100 px camera samples are left out, too small to scale up.
const sources = [
  ...jpegsIn(path.join(photos, 'immich-test-assets/albums/nature')),
  ...jpegsIn(path.join(exif, 'gps')),
  ...jpegsIn(path.join(exif, 'mobile')),
  path.join(exif, 'Reconyx_HC500_Hyperfire.jpg'),
  path.join(exif, 'Canon_PowerShot_S40.jpg'),
  path.join(exif, 'orientation/landscape_1.jpg'),
  path.join(exif, 'orientation/landscape_6.jpg'),
  path.join(exif, 'orientation/portrait_6.jpg'),
];

/** Runs `fn` over 0..n-1 with at most `limit` calls in flight. */
async function pool(n: number, limit: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
}

const seconds = (start: number) => (performance.now() - start) / 1000;

/**
 * CPU seconds used by a process and its children (exiftool's perl processes): the machine is
 * shared, so CPU per photo is reported next to wall-clock rates, which other load distorts.
 */
function cpuSeconds(pid: number): { server: number; children: number } {
  const ticks = (file: string, fields: number[]) => {
    try {
      // fields after the ")" that ends the command name; utime is field 14 of the whole line
      const after = fs.readFileSync(file, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return fields.reduce((sum, f) => sum + Number(after[f - 3] ?? 0), 0);
    } catch {
      return 0; // the process has ended
    }
  };
  const server = ticks(`/proc/${pid}/stat`, [14, 15]);
  let children = ticks(`/proc/${pid}/stat`, [16, 17]);
  for (const child of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    const stat = (() => {
      try {
        return fs.readFileSync(`/proc/${child}/stat`, 'utf8');
      } catch {
        return '';
      }
    })();
    if (Number(stat.split(') ')[1]?.split(' ')[1]) === pid) {
      children += ticks(`/proc/${child}/stat`, [14, 15]);
    }
  }
  return { server: server / 100, children: children / 100 }; // USER_HZ
}

const load = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
console.log(`load average before: ${load()}`);
const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-bench-ingest-'));
try {
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, node ${process.version}, sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips}), sharp.concurrency() ${sharp.concurrency()}`,
  );
  console.log(
    `server: PIXELUNION_JOB_CONCURRENCY default ${loadConfig({}).jobConcurrency}, this run tries ${concurrencies.join(', ')}`,
  );

  // Grain makes the files weigh (and decode) like camera JPEGs: ~3.5 MB at 12 MP, not ~1.5 MB.
  const grain = new Map<string, Promise<Buffer>>();
  const grainOf = (width: number, height: number): Promise<Buffer> => {
    const key = `${width}x${height}`;
    let buffer = grain.get(key);
    if (!buffer) {
      const noise = { type: 'gaussian' as const, mean: 128, sigma: 24 };
      buffer = sharp({ create: { width, height, channels: 3, background: '#808080', noise } })
        .raw()
        .toBuffer();
      grain.set(key, buffer);
    }
    return buffer;
  };
  const files: string[] = [];
  const start = performance.now();
  await pool(count, 2, async (i) => {
    const source = sources[i % sources.length] ?? '';
    const meta = await sharp(source).metadata();
    const [long, short] = i % 2 === 0 ? [4000, 3000] : [3264, 2448];
    // Stored orientation is kept (with the EXIF Orientation tag), so rotated sources stay rotated.
    const [width, height] = meta.width >= meta.height ? [long, short] : [short, long];
    const margin = 16 + ((i * 37) % 200);
    const file = path.join(dir, `IMG_${String(i).padStart(4, '0')}.jpg`);
    await sharp(source)
      .resize(width + margin, height + margin, { fit: 'cover' })
      .extract({ left: (i * 13) % margin, top: (i * 7) % margin, width, height })
      .composite([
        {
          input: await grainOf(width, height),
          raw: { width, height, channels: 3 },
          blend: 'soft-light',
        },
      ])
      .withMetadata()
      .jpeg({ quality: 82 + (i % 14) })
      .toFile(file);
    files[i] = file;
  });
  grain.clear();
  const sizes = await Promise.all(files.map(async (f) => (await fsp.stat(f)).size));
  const checksums = new Set(
    await Promise.all(
      files.map(async (f) =>
        createHash('sha1')
          .update(await fsp.readFile(f))
          .digest('hex'),
      ),
    ),
  );
  if (checksums.size !== files.length) throw new Error('two generated photos are identical');
  console.log(
    `corpus: ${count} JPEGs (${Math.ceil(count / 2)} × 12 MP 4000×3000, ${Math.floor(count / 2)} × 8 MP 3264×2448) from ${sources.length} real photos, mean ${(sizes.reduce((a, b) => a + b, 0) / count / 1e6).toFixed(2)} MB, made in ${seconds(start).toFixed(0)} s`,
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
      const credentials = { email: 'bench@example.org', password: 'a long password', name: 'B' };
      const post = (url: string, body: unknown) =>
        fetch(base + url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      await post('/api/auth/setup', credentials);
      const { token } = (await (await post('/api/auth/login', credentials)).json()) as {
        token: string;
      };
      const authorization = `Bearer ${token}`;
      const ids: string[] = [];

      const pid = server.child.pid ?? 0;
      const cpu = cpuSeconds(pid);
      const t = performance.now();
      await pool(count, uploadsInFlight, async (i) => {
        const file = files[i] ?? '';
        const form = new FormData();
        form.append('file', await openAsBlob(file), path.basename(file));
        const response = await fetch(`${base}/api/assets`, {
          method: 'POST',
          headers: { authorization },
          body: form,
        });
        const body = (await response.json()) as { id: string; status: string };
        if (response.status !== 201) throw new Error(`upload ${file}: ${response.status}`);
        ids[i] = body.id;
      });
      const uploaded = seconds(t);
      let queues: { queue: string; waiting: number; active: number; failed: number }[] = [];
      for (;;) {
        const response = await fetch(`${base}/api/jobs`, { headers: { authorization } });
        queues = (await response.json()) as typeof queues;
        if (queues.every((q) => q.waiting === 0 && q.active === 0)) break;
        await sleep(100);
      }
      const done = seconds(t);
      const after = cpuSeconds(pid);
      const serverCpu = (after.server - cpu.server) / count;
      const childrenCpu = (after.children - cpu.children) / count;

      const failed = queues.reduce((n, q) => n + q.failed, 0);
      let ready = 0;
      for (const id of ids) {
        const response = await fetch(`${base}/api/assets/${id}`, { headers: { authorization } });
        const asset = (await response.json()) as { hasThumbnail: boolean };
        if (asset.hasThumbnail) ready++;
      }
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
