/**
 * Google Takeout import: files per second and the server's peak memory for a generated export of
 * small photos with sidecars (1 in 10 also in an album), over several parts.
 *
 * Run: npx tsx bench/takeout.ts [files...] [--parts=10] [--format=zip|tgz] [--folders=10]
 *   files     unique photos per run (default 10000 100000: one run each, to show whether the
 *             server's memory grows with the export's size)
 * Each run starts a fresh server process (embedded SQLite, local folder) on a new data folder,
 * uploads the parts with tus, starts the import and polls its progress. Peak RSS is the kernel's
 * high-water mark of the server process (VmHWM).
 */
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServerProcess, type ServerProcess } from '../server/src/test/server-process.js';
import { generateScaleExport } from '../server/src/test/takeout/export.scale.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const sizes = args.filter((a) => !a.startsWith('--')).map(Number);
const runs = sizes.length > 0 ? sizes : [10_000, 100_000];
const parts = Number(option('parts') ?? 10);
const format = option('format') === 'tgz' ? 'tgz' : 'zip';
// Year folders the photos are spread over: matching works a folder at a time, so its memory
// follows the largest folder, not the export.
const years = Number(option('folders') ?? 10);
// --until=importing stops once the index and match phases are over (their memory is what
// depends on the export's size; the import itself handles one file at a time).
const until = option('until');

interface Progress {
  status: string;
  counts: Record<string, number>;
}

// T is the caller's expectation of the JSON body.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
async function call<T>(
  server: ServerProcess,
  method: string,
  url: string,
  init: {
    token?: string;
    json?: unknown;
    body?: Uint8Array<ArrayBuffer>;
    headers?: Record<string, string>;
  },
): Promise<{ status: number; headers: Headers; body: T }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body: BodyInit | undefined = init.body;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  const response = await fetch(server.url + url, { method, headers, body });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : null) as T,
  };
}

async function memoryMb(pid: number, field: string): Promise<number> {
  const status = await fsp.readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}
/** The kernel's high-water mark of the process's resident memory. */
const peakRssMb = (pid: number) => memoryMb(pid, 'VmHWM');

const seconds = (from: number, to: number) => (to - from) / 1000;

async function run(files: number): Promise<void> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-bench-takeout-'));
  try {
    const made = Date.now();
    const generated = await generateScaleExport({
      dir: path.join(dir, 'export'),
      files,
      parts,
      format,
      years,
    });
    const bytes = (await Promise.all(generated.parts.map((p) => fsp.stat(p)))).reduce(
      (s, st) => s + st.size,
      0,
    );
    console.log(
      `\n${files} photos (${generated.media} media entries, ${generated.sidecars} sidecars, ${generated.albums} albums) in ${years} year folders, ${parts} ${format} parts, ${(bytes / 1024 ** 2).toFixed(0)} MiB, generated in ${((Date.now() - made) / 1000).toFixed(0)} s`,
    );
    // BENCH_SERVER_NODE_OPTIONS: Node options for the server alone (e.g. a heap limit).
    const nodeOptions = process.env.BENCH_SERVER_NODE_OPTIONS;
    const server = await startServerProcess({
      PIXELUNION_DATA_DIR: path.join(dir, 'data'),
      ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
    });
    try {
      const pid = server.child.pid ?? 0;
      console.log(`  server started: RSS ${await memoryMb(pid, 'VmRSS')} MB`);
      const credentials = {
        email: 'bench@example.org',
        password: 'a long password',
        name: 'Bench',
      };
      await call(server, 'POST', '/api/auth/setup', { json: credentials });
      const { body: login } = await call<{ token: string }>(server, 'POST', '/api/auth/login', {
        json: credentials,
      });
      const token = login.token;
      const { body: created } = await call<{ id: string }>(server, 'POST', '/api/takeout/imports', {
        token,
      });
      const uploadStart = Date.now();
      for (const part of generated.parts) {
        const data = await fsp.readFile(part);
        const b64 = (s: string) => Buffer.from(s).toString('base64');
        const response = await call(server, 'POST', '/api/uploads', {
          token,
          body: new Uint8Array(data),
          headers: {
            'tus-resumable': '1.0.0',
            'content-type': 'application/offset+octet-stream',
            'upload-length': String(data.length),
            'upload-metadata': `filename ${b64(path.basename(part))},takeoutImportId ${b64(created.id)}`,
          },
        });
        if (response.headers.get('pixelunion-asset-status') !== 'takeout-part') {
          throw new Error(`part upload failed: ${response.status}`);
        }
      }
      const uploaded = Date.now();
      console.log(
        `  parts uploaded in ${seconds(uploadStart, uploaded).toFixed(1)} s; server peak RSS so far ${await peakRssMb(pid)} MB`,
      );
      await call(server, 'POST', `/api/takeout/imports/${created.id}/start`, { token });
      let progress: Progress | undefined;
      let lastLog = 0;
      const phases: Record<string, number> = {};
      // When the high-water mark last rose, and in which phase (sampled every 50 ms: a spike
      // shorter than the progress polls is still seen).
      let highWater = { mb: 0, at: 0, phase: 'uploaded' };
      const watcher = setInterval(() => {
        void peakRssMb(pid).then((mb) => {
          if (mb > highWater.mb) {
            highWater = { mb, at: Date.now() - uploaded, phase: progress?.status ?? 'starting' };
          }
        });
      }, 50);
      // The largest RSS seen while polling in each phase (every 500 ms).
      const rssByPhase: Record<string, number> = {};
      for (;;) {
        ({ body: progress } = await call<Progress>(
          server,
          'GET',
          `/api/takeout/imports/${created.id}`,
          { token },
        ));
        phases[progress.status] ??= Date.now();
        const rss = await memoryMb(pid, 'VmRSS');
        rssByPhase[progress.status] = Math.max(rssByPhase[progress.status] ?? 0, rss);
        if (['done', 'failed', 'cancelled'].includes(progress.status)) break;
        if (until === progress.status) {
          clearInterval(watcher);
          console.log(`  high-water mark last rose: ${JSON.stringify(highWater)}`);
          const importing = phases.importing ?? Date.now();
          console.log(
            `  index and match ${seconds(uploaded, importing).toFixed(1)} s; server peak RSS so far: ${await peakRssMb(pid)} MB (now ${await memoryMb(pid, 'RssAnon')} MB anonymous, ${await memoryMb(pid, 'RssFile')} MB file-backed); largest RSS seen by phase: ${JSON.stringify(rssByPhase)}`,
          );
          return;
        }
        if (Date.now() - lastLog > 30_000) {
          lastLog = Date.now();
          const c = progress.counts;
          console.log(
            `  ${progress.status}: ${c.imported} imported, ${c.duplicates} duplicates, ${c.pending} pending; RSS peak ${await peakRssMb(pid)} MB`,
          );
        }
        await sleep(500);
      }
      const done = Date.now();
      clearInterval(watcher);
      console.log(`  high-water mark last rose: ${JSON.stringify(highWater)}`);
      for (;;) {
        const { body: jobs } = await call<{ waiting: number; active: number }[]>(
          server,
          'GET',
          '/api/jobs',
          { token },
        );
        if (jobs.every((q) => q.waiting === 0 && q.active === 0)) break;
        await sleep(1000);
      }
      const thumbnailsDone = Date.now();
      const c = progress.counts;
      const importSeconds = seconds(uploaded, done);
      console.log(`  status ${progress.status}: ${JSON.stringify(c)}`);
      console.log(`  largest RSS seen by phase (MB): ${JSON.stringify(rssByPhase)}`);
      console.log(
        `  upload of the parts (tus, one request each): ${seconds(uploadStart, uploaded).toFixed(1)} s`,
      );
      const importing = phases.importing ?? done;
      console.log(
        `  index and match ${seconds(uploaded, importing).toFixed(1)} s, import ${seconds(importing, done).toFixed(1)} s`,
      );
      console.log(
        `  import: ${(generated.media / importSeconds).toFixed(0)} media files/s (${importSeconds.toFixed(0)} s from start to done); with every thumbnail made: ${(generated.media / seconds(uploaded, thumbnailsDone)).toFixed(0)} files/s (${seconds(uploaded, thumbnailsDone).toFixed(0)} s)`,
      );
      console.log(
        `  server peak RSS: ${await peakRssMb(pid)} MB (at the end: ${await memoryMb(pid, 'RssAnon')} MB anonymous, ${await memoryMb(pid, 'RssFile')} MB file-backed)`,
      );
    } finally {
      await server.stop();
    }
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

for (const files of runs) await run(files);
