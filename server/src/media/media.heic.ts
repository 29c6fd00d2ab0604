import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { MediaToolError } from './media.errors.js';

/** Bare RGBA pixels, already rotated/mirrored by the file's irot/imir (libheif applies them). */
export interface DecodedHeic {
  width: number;
  height: number;
  data: Buffer;
}

const DECODE_TIMEOUT_MS = 60_000;
const IDLE_EXIT_MS = 30_000;
const POOL_SIZE = Math.max(1, Math.min(2, availableParallelism()));

// heic-decode (libheif compiled to WASM) decodes synchronously for ~1 s per 12 MP photo, so it
// runs in worker threads to keep the event loop free. Plain JS evaluated in the worker avoids
// needing a separate worker file that tsx/vitest/tsc would each have to resolve.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const decode = require(workerData.heicDecodePath);
console.log = () => {}; // libheif-js logs parse failures itself
parentPort.on('message', async ({ id, path }) => {
  try {
    const { width, height, data } = await decode({ buffer: readFileSync(path) });
    parentPort.postMessage({ id, width, height, data: data.buffer }, [data.buffer]);
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err) });
  }
});`;

interface Job {
  id: number;
  path: string;
  resolve: (image: DecodedHeic) => void;
  reject: (err: Error) => void;
}

interface Reply {
  id: number;
  width?: number;
  height?: number;
  data?: ArrayBuffer;
  error?: string;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  timer: NodeJS.Timeout | null;
  /** terminated on purpose (idle, timeout, close): not to be given work */
  retired: boolean;
}

const slots = new Set<Slot>();
const queue: Job[] = [];
let nextId = 1;
let heicDecodePath: string | null = null;

function retire(slot: Slot): void {
  slots.delete(slot);
  slot.retired = true;
  if (slot.timer) clearTimeout(slot.timer);
  void slot.worker.terminate();
}

function spawn(): Slot {
  heicDecodePath ??= createRequire(import.meta.url).resolve('heic-decode');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { heicDecodePath } });
  const slot: Slot = { worker, job: null, timer: null, retired: false };
  worker.on('message', (reply: Reply) => {
    const job = slot.job;
    if (job?.id !== reply.id) return;
    idle(slot);
    if (reply.error !== undefined || !reply.data || !reply.width || !reply.height) {
      job.reject(new Error(reply.error ?? 'decoder returned no image'));
    } else {
      job.resolve({ width: reply.width, height: reply.height, data: Buffer.from(reply.data) });
    }
    pump();
  });
  const fail = (err: Error): void => {
    slots.delete(slot);
    if (slot.timer) clearTimeout(slot.timer);
    const job = slot.job;
    slot.job = null;
    job?.reject(slot.retired ? new MediaToolError('HEIC decoder closed') : err);
    pump();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => {
    fail(new Error(`decoder exited (${code})`));
  });
  slots.add(slot);
  return slot;
}

function idle(slot: Slot): void {
  if (slot.timer) clearTimeout(slot.timer);
  slot.job = null;
  slot.worker.unref();
  // an idle decoder holds a large WASM heap: give it back after a while
  slot.timer = setTimeout(() => {
    retire(slot);
  }, IDLE_EXIT_MS).unref();
}

function pump(): void {
  while (queue.length > 0) {
    let slot = [...slots].find((s) => s.job === null);
    if (!slot && slots.size < POOL_SIZE) {
      try {
        slot = spawn();
      } catch (err) {
        const error = new MediaToolError(
          `cannot start the HEIC decoder: ${(err as Error).message}`,
        );
        for (const job of queue.splice(0)) job.reject(error);
        return;
      }
    }
    if (!slot) return;
    const job = queue.shift();
    if (!job) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.job = job;
    slot.worker.ref();
    const busy = slot;
    busy.timer = setTimeout(() => {
      busy.job = null;
      retire(busy);
      job.reject(new Error(`timed out after ${DECODE_TIMEOUT_MS / 1000} s`));
    }, DECODE_TIMEOUT_MS);
    slot.worker.postMessage({ id: job.id, path: job.path });
  }
}

/**
 * Decodes a HEIC/HEIF file with libheif (WASM) in a worker thread. heic-decode takes the first
 * top-level image, which is the primary one in every file of the corpus.
 */
export function decodeHeic(path: string): Promise<DecodedHeic> {
  return new Promise((resolve, reject) => {
    queue.push({ id: nextId++, path, resolve, reject });
    pump();
  });
}

export async function closeHeicDecoders(): Promise<void> {
  for (const job of queue.splice(0)) job.reject(new MediaToolError('HEIC decoder closed'));
  const workers = [...slots].map((slot) => {
    slots.delete(slot);
    slot.retired = true;
    if (slot.timer) clearTimeout(slot.timer);
    return slot.worker.terminate();
  });
  await Promise.all(workers);
}
