/**
 * The web app at scale: a library of 100,000 synthetic assets (each with a real WebP thumbnail
 * on disk), the real server as a child process, and Debian's Chromium driven by playwright-core.
 * Prints the time from navigation to the first thumbnail painted, then scrolls the timeline from
 * top to bottom and prints the frames and long tasks seen by Chromium's performance timeline.
 *
 * Run: npx tsx bench/web.ts [count] [--step=PX] [--profile] [--trace]   (default 100000 assets, 1200 px
 *   per frame; --profile prints the page's hottest functions while scrolling, --trace the
 *   renderer's main-thread work by event type)
 * Needs the built web app (npm run build) and /usr/bin/chromium (scripts/install-chromium.sh).
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import sharp from 'sharp';
import { migrateToLatest, openDatabase } from '../server/src/db/database.js';
import { startServerProcess, type ServerProcess } from '../server/src/test/server-process.js';
import { createBenchUser, seedAssets } from './synthetic-library.js';

const args = process.argv.slice(2);
const count = Number(args.find((a) => !a.startsWith('--')) ?? 100_000);
const profile = args.includes('--profile');
const trace = args.includes('--trace');
const step = Number(
  /^--step=(\d+)$/.exec(args.find((a) => a.startsWith('--step=')) ?? '')?.[1] ?? 1200,
);
const corpusPhoto = path.resolve(
  import.meta.dirname,
  '../../shared/corpus/photos/immich-test-assets/albums/nature/el_torcal_rocks.jpg',
);

const COPIES = 64; // hard links per file stay far below the file system's limit (EMLINK)

/** Real thumbnails in three shapes (landscape, portrait, 16:9) that the synthetic assets link to. */
async function thumbnailSources(
  dir: string,
): Promise<Record<'landscape' | 'portrait' | 'wide', string[]>> {
  const out = { landscape: [] as string[], portrait: [] as string[], wide: [] as string[] };
  for (const [name, width] of [
    ['landscape', 333],
    ['portrait', 188],
    ['wide', 444],
  ] as const) {
    const first = path.join(dir, `${name}-0.webp`);
    await sharp(corpusPhoto)
      .resize(width, 250, { fit: 'cover' })
      .webp({ quality: 80 })
      .toFile(first);
    out[name].push(first);
    for (let i = 1; i < COPIES; i++) {
      const copy = path.join(dir, `${name}-${i}.webp`);
      await fsp.copyFile(first, copy);
      out[name].push(copy);
    }
  }
  return out;
}

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** --profile: the page's JavaScript functions that took the most time while scrolling. */
function printHotFunctions(p: CpuProfile): void {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  (p.samples ?? []).forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    const where = frame.url.replace(/^.*\/assets\//, '');
    const key = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber}:${frame.columnNumber}`;
    self.set(key, (self.get(key) ?? 0) + (p.timeDeltas?.[i] ?? 0) / 1000);
  });
  console.log('hottest functions while scrolling (self time):');
  for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    console.log(`  ${ms.toFixed(0).padStart(7)} ms  ${key}`);
  }
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tid: number;
}

/** --trace: what each main-thread task over 50 ms was made of (the longest events inside it). */
function printLongTasks(events: TraceEvent[], main: number | undefined): void {
  const onMain = events.filter((e) => e.ph === 'X' && e.tid === main && e.dur !== undefined);
  const tasks = onMain.filter((e) => e.name === 'RunTask' && (e.dur ?? 0) > 50_000);
  console.log(`main-thread tasks over 50 ms in the trace: ${tasks.length}`);
  for (const task of tasks.slice(0, 12)) {
    const end = task.ts + (task.dur ?? 0);
    const inside = new Map<string, number>();
    for (const e of onMain) {
      if (e === task || e.ts < task.ts || e.ts >= end) continue;
      inside.set(e.name, Math.max(inside.get(e.name) ?? 0, (e.dur ?? 0) / 1000));
    }
    const parts = [...inside]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([name, ms]) => `${name} ${ms.toFixed(0)}`)
      .join(', ');
    console.log(`  ${((task.dur ?? 0) / 1000).toFixed(0).padStart(5)} ms: ${parts}`);
  }
}

/** --trace: where the renderer's main thread spent its time while scrolling, by event type. */
function printMainThreadWork(events: TraceEvent[]): void {
  // The renderer's main thread: the one that ran the layouts.
  const layouts = new Map<number, number>();
  for (const e of events)
    if (e.name === 'Layout') layouts.set(e.tid, (layouts.get(e.tid) ?? 0) + 1);
  const main = [...layouts].sort((a, b) => b[1] - a[1])[0]?.[0];
  const totals = new Map<string, { ms: number; count: number; max: number }>();
  for (const e of events) {
    if (e.ph !== 'X' || e.tid !== main || e.dur === undefined) continue;
    const t = totals.get(e.name) ?? { ms: 0, count: 0, max: 0 };
    t.ms += e.dur / 1000;
    t.count += 1;
    t.max = Math.max(t.max, e.dur / 1000);
    totals.set(e.name, t);
  }
  printLongTasks(events, main);
  console.log('renderer main thread while scrolling (inclusive time by event):');
  for (const [name, t] of [...totals].sort((a, b) => b[1].ms - a[1].ms).slice(0, 14)) {
    console.log(
      `  ${t.ms.toFixed(0).padStart(7)} ms  ${String(t.count).padStart(6)} ×  max ${t.max.toFixed(1).padStart(6)} ms  ${name}`,
    );
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync('/usr/bin/chromium')) throw new Error('run scripts/install-chromium.sh first');
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-bench-web-'));
  const dataDir = path.join(dir, 'data');
  let server: ServerProcess | null = null;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic'],
  });
  try {
    server = await startServerProcess({ PIXELUNION_DATA_DIR: dataDir });
    const login = await createBenchUser(server.url);
    await server.stop();
    server = null;

    const handle = openDatabase({
      databaseUrl: null,
      sqlitePath: path.join(dataDir, 'pixelunion.sqlite'),
    });
    await migrateToLatest(handle.db);
    let t = performance.now();
    await seedAssets(handle.db, [login.userId], count, 1);
    const rows = await handle.db.selectFrom('assets').select(['id', 'width', 'height']).execute();
    await handle.close();
    const sources = await thumbnailSources(dir);
    const thumbDir = path.join(dataDir, 'library', 'thumbnails', login.userId);
    await fsp.mkdir(thumbDir, { recursive: true });
    for (const [i, row] of rows.entries()) {
      const ratio = (row.width ?? 1) / (row.height ?? 1);
      const shape = ratio > 1.5 ? sources.wide : ratio < 1 ? sources.portrait : sources.landscape;
      await fsp.link(shape[i % COPIES] ?? '', path.join(thumbDir, `${row.id}.webp`));
    }
    console.log(
      `seed: ${count.toLocaleString('en')} assets with thumbnails in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    server = await startServerProcess({ PIXELUNION_DATA_DIR: dataDir });
    const url = server.url.replace('localhost', '127.0.0.1');
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addCookies([{ name: 'pixelunion_session', value: login.token, url }]);
    const page = await context.newPage();
    await page.addInitScript(() => {
      // Runs before the app: the first thumbnail that loads, then two frames (it is painted).
      const w = window as unknown as { firstThumbnailMs?: number; longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.longTasks.push(entry.duration);
      }).observe({ type: 'longtask', buffered: true });
      document.addEventListener(
        'load',
        (event) => {
          const img = event.target;
          if (w.firstThumbnailMs !== undefined || !(img instanceof HTMLImageElement)) return;
          if (!img.src.includes('/thumbnail')) return;
          requestAnimationFrame(() =>
            requestAnimationFrame(() => {
              w.firstThumbnailMs ??= performance.now();
            }),
          );
        },
        true,
      );
    });
    const firstPaints: number[] = [];
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url().replace(url, '')));
    for (let i = 0; i < 5; i++) {
      requests.length = 0;
      await page.goto(url, { waitUntil: 'commit' });
      await page.waitForFunction(
        () => (window as unknown as { firstThumbnailMs?: number }).firstThumbnailMs !== undefined,
        undefined,
        { timeout: 30_000 },
      );
      firstPaints.push(
        await page.evaluate(
          () => (window as unknown as { firstThumbnailMs: number }).firstThumbnailMs,
        ),
      );
    }
    console.log(
      `navigation → first thumbnail painted: ${firstPaints.map((ms) => ms.toFixed(0)).join(', ')} ms (5 loads)`,
    );

    const cdp = profile || trace ? await context.newCDPSession(page) : null;
    if (cdp && profile) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    const traceEvents: TraceEvent[] = [];
    if (cdp && trace) {
      cdp.on('Tracing.dataCollected', (data) => {
        traceEvents.push(...(data.value as unknown as TraceEvent[]));
      });
      await cdp.send('Tracing.start', {
        categories: 'devtools.timeline,disabled-by-default-devtools.timeline',
        transferMode: 'ReportEvents',
      });
    }
    t = performance.now();
    const scroll = await page.evaluate(async (pxPerFrame) => {
      const w = window as unknown as { longTasks: number[] };
      // The timeline's scroller: the document, or the tallest element that scrolls itself.
      const candidates = [...document.querySelectorAll<HTMLElement>('*')].filter((el) => {
        const style = getComputedStyle(el);
        return /(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight;
      });
      const root = document.scrollingElement as HTMLElement;
      const scroller =
        [root, ...candidates].sort((a, b) => b.scrollHeight - a.scrollHeight)[0] ?? root;
      w.longTasks = [];
      const frames: number[] = [];
      let last = performance.now();
      for (;;) {
        const before = scroller.scrollTop;
        scroller.scrollTop = before + pxPerFrame;
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const now = performance.now();
        frames.push(now - last);
        last = now;
        if (scroller.scrollTop === before) break;
      }
      return {
        height: scroller.scrollHeight,
        frames,
        longTasks: w.longTasks,
        domNodes: document.getElementsByTagName('*').length,
        // Chromium's non-standard performance.memory: the page's JavaScript heap in use.
        heapMb:
          ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory
            ?.usedJSHeapSize ?? 0) /
          1024 ** 2,
      };
    }, step);
    const seconds = (performance.now() - t) / 1000;
    if (cdp && profile) printHotFunctions((await cdp.send('Profiler.stop')).profile);
    if (cdp && trace) {
      const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.end');
      await complete;
      printMainThreadWork(traceEvents);
    }
    const sorted = [...scroll.frames].sort((a, b) => a - b);
    const at = (p: number) =>
      sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
    console.log(
      `scroll: ${scroll.height.toLocaleString('en')} px in ${scroll.frames.length} frames of ${step} px, ${seconds.toFixed(1)} s, ${(scroll.frames.length / seconds).toFixed(0)} frames/s`,
    );
    console.log(
      `frame time p50 ${at(50).toFixed(1)} · p95 ${at(95).toFixed(1)} · p99 ${at(99).toFixed(1)} · max ${at(100).toFixed(1)} ms`,
    );
    console.log(
      `long tasks (> 50 ms) while scrolling: ${scroll.longTasks.length}, longest ${Math.max(0, ...scroll.longTasks).toFixed(0)} ms; DOM elements at the end: ${scroll.domNodes}; JavaScript heap in use ${scroll.heapMb.toFixed(0)} MB`,
    );
    await page.screenshot({ path: path.join(os.tmpdir(), 'pixelunion-bench-web-end.png') });
    console.log(`screenshot of the end: ${path.join(os.tmpdir(), 'pixelunion-bench-web-end.png')}`);
    console.log(
      `load average after: ${os
        .loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await browser.close();
    if (server) await server.stop();
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

await main();
