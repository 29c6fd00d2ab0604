// Runs an import through the server: opens (or continues) it, uploads its parts, waits for the end.
import fsp from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TakeoutProgress } from '../modules/takeout/takeout.view.js';
import { ApiError, type ApiClient } from './api-client.js';
import { readState, serverKey, writeState, type ImportState } from './takeout.state.js';
import type { ProgressDisplay } from './progress.js';
import { TusError, withRetries, type TusClientOptions } from './tus-client.js';

type ImportStatus = TakeoutProgress['status'];
const ended: ReadonlySet<ImportStatus> = new Set<ImportStatus>(['done', 'failed', 'cancelled']);

export interface Part {
  /** Absolute path. */
  file: string;
  name: string;
  size: number;
  mtimeMs: number;
}

export class UsageError extends Error {}

const sortedFiles = (parts: readonly Part[]) => parts.map((p) => p.file).sort();

export interface TakeoutRunOptions {
  stateFile: string;
  display: ProgressDisplay;
  log: (line: string) => void;
  pollMs?: number;
  tus?: TusClientOptions;
}

/** The state of the import to continue, or of a new one. */
async function openImport(
  client: ApiClient,
  server: string,
  parts: readonly Part[],
  options: TakeoutRunOptions,
): Promise<{ state: ImportState; progress: TakeoutProgress }> {
  const { stateFile, log } = options;
  const saved = await readState(stateFile, log);
  if (saved) {
    const same =
      saved.server === serverKey(server) &&
      JSON.stringify(Object.keys(saved.parts).sort()) === JSON.stringify(sortedFiles(parts));
    if (!same) {
      throw new UsageError(
        `${stateFile} belongs to another import (another server or other parts): remove it, or give another --state file.`,
      );
    }
    try {
      const progress = await withRetries('asking for the import', () =>
        client.takeoutImport(saved.importId),
      );
      log(`Continuing import ${saved.importId} (${progress.status}), from ${stateFile}.`);
      return { state: saved, progress };
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
      log(`The server no longer has import ${saved.importId}: starting a new import.`);
    }
  }
  const progress = await client.createTakeoutImport();
  const state: ImportState = {
    version: 1,
    server: serverKey(server),
    importId: progress.id,
    parts: Object.fromEntries(
      parts.map((p) => [p.file, { size: p.size, mtimeMs: p.mtimeMs }] as const),
    ),
  };
  await writeState(stateFile, state);
  return { state, progress };
}

/** Uploads every part the import does not have yet, each from where the server stopped. */
async function uploadParts(
  client: ApiClient,
  parts: readonly Part[],
  state: ImportState,
  received: TakeoutProgress['parts'],
  options: TakeoutRunOptions,
): Promise<void> {
  const { display } = options;
  const claimed = new Set(Object.values(state.parts).map((p) => p.partId));
  const tus = client.tus({
    log: (line) => {
      display.message(line);
    },
    ...options.tus,
  });
  const total = parts.reduce((sum, p) => sum + p.size, 0);
  let before = 0;
  for (const [index, part] of parts.entries()) {
    const detail = `${part.name} (${index + 1}/${parts.length})`;
    const saved = (state.parts[part.file] ??= { size: part.size, mtimeMs: part.mtimeMs });
    if (saved.size !== part.size || saved.mtimeMs !== part.mtimeMs) {
      if (saved.partId) {
        throw new UsageError(
          `${part.file} changed after it was uploaded: remove ${options.stateFile} to start a new import.`,
        );
      }
      if (saved.url) await tus.terminate(saved.url);
      state.parts[part.file] = { size: part.size, mtimeMs: part.mtimeMs };
      await writeState(options.stateFile, state);
    }
    const entry = state.parts[part.file] ?? saved;
    // Finished, but this process died before it could write so down (and the upload is gone).
    const arrived = received.find(
      (p) => !claimed.has(p.id) && p.fileName === part.name && p.size === part.size,
    );
    if (!entry.partId && arrived) {
      entry.partId = arrived.id;
      claimed.add(arrived.id);
      delete entry.url;
      await writeState(options.stateFile, state);
    }
    if (entry.partId) {
      before += part.size;
      display.update('uploading', detail, before, total, 'bytes');
      continue;
    }
    const result = await tus.upload({
      file: part.file,
      metadata: { filename: part.name, takeoutImportId: state.importId },
      url: entry.url,
      onUrl: async (url) => {
        entry.url = url;
        await writeState(options.stateFile, state);
      },
      onResume: (offset, length) => {
        display.message(
          `${part.name}: resuming at ${offset} bytes of ${length} (${Math.floor((offset / length) * 100)}%)`,
        );
      },
      onProgress: (offset) => {
        display.update('uploading', detail, before + offset, total, 'bytes');
      },
    });
    if (result.assetStatus !== 'takeout-part' || !result.assetId) {
      throw new TusError(
        `the server did not take ${part.name} as a part of the import (it answered ${String(result.assetStatus)})`,
        0,
        false,
      );
    }
    entry.partId = result.assetId;
    delete entry.url;
    await writeState(options.stateFile, state);
    before += part.size;
    display.step(`${part.name}: uploaded`);
  }
  display.stop();
}

const handled = (c: TakeoutProgress['counts']) =>
  c.imported + c.duplicates + c.motion + c.skipped + c.failed;

/**
 * Imports the parts through the server, continuing the import of the state file if there is one;
 * answers the finished import and its report (the state file is then gone).
 */
export async function importTakeout(
  client: ApiClient,
  server: string,
  parts: readonly Part[],
  options: TakeoutRunOptions,
): Promise<{ progress: TakeoutProgress; reportText: string }> {
  const { display, log } = options;
  const opened = await openImport(client, server, parts, options);
  const { state } = opened;
  let progress = opened.progress;
  const retrying = {
    log: (line: string) => {
      display.message(line);
    },
  };
  if (progress.status === 'uploading') {
    await uploadParts(client, parts, state, progress.parts, options);
    progress = await withRetries(
      'starting the import',
      () => client.startTakeoutImport(state.importId),
      retrying,
    );
    log(`Import ${state.importId} started.`);
  } else if (Object.values(state.parts).some((p) => !p.partId)) {
    log(`The import has started (${progress.status}) without every part: continuing with those.`);
  }
  while (!ended.has(progress.status)) {
    display.update(progress.status, '', handled(progress.counts), progress.counts.media, 'files');
    await sleep(options.pollMs ?? 1000);
    progress = await withRetries(
      'asking for the progress',
      () => client.takeoutImport(state.importId),
      retrying,
    );
  }
  if (progress.status === 'done') {
    display.update('importing', '', handled(progress.counts), progress.counts.media, 'files');
  }
  display.stop();
  const reportText = await withRetries(
    'fetching the report',
    () => client.takeoutReport(state.importId),
    retrying,
  );
  await fsp.rm(options.stateFile, { force: true });
  return { progress, reportText };
}
