import fsp from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { ApiError } from './api-client.js';
import { downloadPart, ExportClient, type ExportView } from './export.download.js';
import { progressDisplay, type ProgressDisplay } from './progress.js';
import { describeError } from './tus-client.js';

const help = `Usage: pixelunion export --server URL --api-key KEY --out DIR [--part-size BYTES] [--new]

Downloads everything the server holds about you: every original byte for byte, a .json and an
.xmp file beside each with all its details (dates, places, descriptions, favourites, archive,
trash, albums), your account, albums, share links with their use log, and an index.html to look
through it all offline. The server prepares the export, then its parts (zip files of at most
--part-size bytes, 4 GB by default) are saved into DIR. Extract them all into one folder.

Interrupted (network, Ctrl-C)? Run the same command again with the same --out: finished parts
are kept and a part cut short continues from its last byte. The export is remembered in
DIR/.pixelunion-export.json; --new starts a fresh export instead. An export is kept on the
server for 7 days. PIXELUNION_SERVER and PIXELUNION_API_KEY may stand for the options.

Exit status: 0 when every part is saved, 1 when the export or a download failed, 2 for a usage
error.
`;

const stateName = '.pixelunion-export.json';

interface State {
  server: string;
  exportId: string;
}

async function readState(file: string): Promise<State | null> {
  try {
    return JSON.parse(await fsp.readFile(file, 'utf8')) as State;
  } catch {
    return null;
  }
}

/** The export this folder holds, if it is still on the server; else a new one. */
async function findOrStart(
  client: ExportClient,
  state: State | null,
  server: string,
  partSize: number | undefined,
): Promise<ExportView> {
  if (state && state.server === server) {
    try {
      const view = await client.request<ExportView>(
        'GET',
        `/api/exports/${encodeURIComponent(state.exportId)}`,
      );
      if (view.status !== 'failed') return view;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    }
  }
  return client.request<ExportView>(
    'POST',
    '/api/exports',
    partSize ? { partSizeBytes: partSize } : {},
  );
}

async function waitUntilMade(
  client: ExportClient,
  view: ExportView,
  display: ProgressDisplay,
): Promise<ExportView> {
  let current = view;
  while (current.status === 'queued' || current.status === 'building') {
    display.update('Preparing', '', current.progress.assetsDone, current.progress.assets, 'files');
    await sleep(1000);
    current = await client.request<ExportView>(
      'GET',
      `/api/exports/${encodeURIComponent(view.id)}`,
    );
  }
  return current;
}

export async function runExportCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        server: { type: 'string' },
        'api-key': { type: 'string' },
        out: { type: 'string' },
        'part-size': { type: 'string' },
        new: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${help}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(help);
    return 0;
  }
  const server = values.server ?? process.env.PIXELUNION_SERVER;
  const apiKey = values['api-key'] ?? process.env.PIXELUNION_API_KEY;
  const partSize = values['part-size'] === undefined ? undefined : Number(values['part-size']);
  const problems: string[] = [];
  if (!server) problems.push('Missing --server.');
  else if (!URL.canParse(server)) problems.push(`--server must be a URL, not "${server}".`);
  if (!apiKey) problems.push('Missing --api-key.');
  if (!values.out) problems.push('Missing --out: the folder to save the export in.');
  if (partSize !== undefined && !(Number.isInteger(partSize) && partSize >= 1024 * 1024)) {
    problems.push('--part-size must be a number of bytes, at least 1048576 (1 MiB).');
  }
  if (problems.length > 0 || !server || !apiKey || !values.out) {
    process.stderr.write(`${problems.join('\n')}\n\n${help}`);
    return 2;
  }
  const out = path.resolve(values.out);
  await fsp.mkdir(out, { recursive: true });
  const stateFile = path.join(out, stateName);
  const display = progressDisplay(process.stderr, { bar: process.stderr.isTTY });
  const log = (line: string) => {
    display.message(line);
  };
  const interrupted = () => {
    display.stop();
    log('\nInterrupted. Run the same command again to continue.');
    process.exit(130);
  };
  process.once('SIGINT', interrupted);

  const client = new ExportClient(server, apiKey);
  try {
    await client.request('GET', '/api/users/me');
    const state = values.new ? null : await readState(stateFile);
    let view = await findOrStart(client, state, server, partSize);
    await fsp.writeFile(
      stateFile,
      `${JSON.stringify({ server, exportId: view.id } satisfies State)}\n`,
    );
    view = await waitUntilMade(client, view, display);
    if (view.status !== 'ready') {
      display.stop();
      log(
        `The export failed on the server: ${view.error ?? view.status}. Run with --new to try again.`,
      );
      return 1;
    }
    for (const part of view.parts) {
      const file = path.join(out, part.fileName);
      const outcome = await downloadPart(client, part, file, {
        onProgress: (bytes) => {
          display.update('Downloading', part.fileName, bytes, part.size, 'bytes');
        },
        log,
      });
      display.step(`${part.fileName}: ${outcome === 'complete' ? 'already saved' : 'saved'}`);
    }
    display.stop();
    const total = view.totalBytes ?? 0;
    process.stdout.write(
      `Saved ${view.parts.length} part${view.parts.length === 1 ? '' : 's'} (${(total / 1e6).toFixed(1)} MB) in ${out}.\n` +
        'Extract them all into one folder and open index.html. The server keeps this export ' +
        `until ${view.expiresAt}.\n`,
    );
    return 0;
  } catch (error) {
    display.stop();
    log(`The export stopped: ${describeError(error)}`);
    if (!(error instanceof ApiError && error.status >= 400 && error.status < 500)) {
      log('Run the same command again to continue where it stopped.');
    }
    return 1;
  } finally {
    process.off('SIGINT', interrupted);
  }
}
