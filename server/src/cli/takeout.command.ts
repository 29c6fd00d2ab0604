import fsp from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { TakeoutProgress } from '../modules/takeout/takeout.view.js';
import type { TakeoutReport } from '../modules/takeout/takeout.report.js';
import { ApiClient, ApiError } from './api-client.js';
import {
  defaultStateFile,
  readState,
  serverKey,
  stateWritten,
  writeState,
  type ImportState,
} from './takeout.state.js';
import { summarize } from './takeout.summary.js';
import { progressDisplay, type ProgressDisplay } from './progress.js';
import { describeError, TusError, withRetries, type TusClientOptions } from './tus-client.js';

const help = `Usage: pixelunion import-takeout <parts...> --server URL --api-key KEY [--json] [--state FILE]

Imports a Google Takeout export of Google Photos: uploads its parts (.zip, .tgz or .tar.gz), has
the server import them (dates, places, albums, live photos; duplicates are recognised), then
prints a summary and writes the full report to takeout-report-<id>.json in the current folder.
With --json the report goes to standard output instead, and nothing else does.

Interrupted (network, crash, Ctrl-C)? Run the same command again from the same folder: it
continues the same import, each part from the byte the server has. The state is kept in
.pixelunion-takeout-<hash>.json there (or in the --state file) until the import ends.
PIXELUNION_SERVER and PIXELUNION_API_KEY may stand for the options.

Exit status: 0 when the import is done (the report names any file that failed), 1 when the
import failed or the server refused, 2 for a usage error.
`;

type ImportStatus = TakeoutProgress['status'];
const ended: ReadonlySet<ImportStatus> = new Set<ImportStatus>(['done', 'failed', 'cancelled']);
const partPattern = /\.(zip|tgz|tar\.gz)$/i;

export type { TakeoutReport };
export { summarize } from './takeout.summary.js';
export { defaultStateFile } from './takeout.state.js';

interface Part {
  /** Absolute path. */
  file: string;
  name: string;
  size: number;
  mtimeMs: number;
}

class UsageError extends Error {}

/** The parts as given: each must be a non-empty .zip, .tgz or .tar.gz file. */
async function checkParts(args: readonly string[]): Promise<{ parts: Part[]; problems: string[] }> {
  const parts: Part[] = [];
  const problems: string[] = [];
  for (const arg of args) {
    const file = path.resolve(arg);
    if (parts.some((p) => p.file === file)) continue;
    let stat;
    try {
      stat = await fsp.stat(file);
    } catch {
      problems.push(`No such file: ${arg}`);
      continue;
    }
    if (!stat.isFile()) problems.push(`Not a file: ${arg}`);
    else if (!partPattern.test(file))
      problems.push(`Not a Takeout part (a .zip, .tgz or .tar.gz file): ${arg}`);
    else if (stat.size === 0) problems.push(`Empty file: ${arg}`);
    else parts.push({ file, name: path.basename(file), size: stat.size, mtimeMs: stat.mtimeMs });
  }
  return { parts, problems };
}

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

const write = (stream: NodeJS.WriteStream, text: string) =>
  new Promise<void>((resolve) => {
    // Resolved once written: a large report must be out before the process exits.
    stream.write(text, () => {
      resolve();
    });
  });

export async function runTakeoutCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        server: { type: 'string' },
        'api-key': { type: 'string' },
        json: { type: 'boolean', default: false },
        state: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${help}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(help);
    return 0;
  }
  const server = values.server ?? process.env.PIXELUNION_SERVER;
  const apiKey = values['api-key'] ?? process.env.PIXELUNION_API_KEY;
  const problems: string[] = [];
  if (!server) problems.push('Missing --server.');
  else if (!URL.canParse(server)) problems.push(`--server must be a URL, not "${server}".`);
  if (!apiKey) problems.push('Missing --api-key.');
  if (positionals.length === 0) problems.push('No Takeout parts given.');
  const checked = await checkParts(positionals);
  problems.push(...checked.problems);
  if (problems.length > 0 || !server || !apiKey) {
    process.stderr.write(`${problems.join('\n')}\n\n${help}`);
    return 2;
  }
  const { parts } = checked;
  const stateFile = path.resolve(
    values.state ??
      defaultStateFile(
        server,
        parts.map((p) => p.file),
      ),
  );
  const display = progressDisplay(process.stderr, {
    bar: !values.json && process.stdout.isTTY && process.stderr.isTTY,
  });
  const log = (line: string) => {
    display.message(line);
  };
  const interrupted = () => {
    display.stop();
    log(`\nInterrupted. Run the same command again to continue (state: ${stateFile}).`);
    void stateWritten().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);

  const client = new ApiClient(server, apiKey);
  try {
    await client.me();
  } catch (error) {
    log(`Cannot use ${server}: ${(error as Error).message}`);
    return 1;
  }
  let result;
  try {
    result = await importTakeout(client, server, parts, { stateFile, display, log });
  } catch (error) {
    display.stop();
    if (error instanceof UsageError) {
      log(error.message);
      return 2;
    }
    if (!(error instanceof ApiError || error instanceof TusError)) throw error;
    log(`The import stopped: ${describeError(error)}`);
    const kept = await fsp.stat(stateFile).then(
      () => true,
      () => false,
    );
    const refused = error.status >= 400 && error.status < 500 && error.status !== 423;
    if (kept && !refused) {
      log(`Run the same command again to continue where it stopped (state: ${stateFile}).`);
    }
    return 1;
  } finally {
    process.off('SIGINT', interrupted);
  }
  const { progress, reportText } = result;
  if (values.json) {
    await write(process.stdout, reportText.endsWith('\n') ? reportText : `${reportText}\n`);
  } else {
    const reportFile = path.resolve(`takeout-report-${progress.id}.json`);
    await fsp.writeFile(reportFile, reportText);
    const report = JSON.parse(reportText) as TakeoutReport;
    await write(process.stdout, summarize(report, reportFile));
  }
  if (progress.status !== 'done') {
    log(`Import ${progress.id} ${progress.status}${progress.error ? `: ${progress.error}` : ''}.`);
    return 1;
  }
  return 0;
}
