import fsp from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { TakeoutReport } from '../modules/takeout/takeout.report.js';
import { ApiClient, ApiError } from './api-client.js';
import { importTakeout, UsageError, type Part } from './takeout.import.js';
import { defaultStateFile, stateWritten } from './takeout.state.js';
import { summarize } from './takeout.summary.js';
import { progressDisplay } from './progress.js';
import { describeError, TusError } from './tus-client.js';

const help = `Usage: pixelunion import-takeout <parts...> --server URL --api-key KEY [--json] [--state FILE]

Imports a Google Takeout export of Google Photos, or the export of another PixelUnion (its
"PixelUnion export" zip parts, recognised by what they hold): uploads its parts (.zip, .tgz or
.tar.gz), has the server import them (dates, places, albums, live photos; duplicates are
recognised), then prints a summary and writes the full report to takeout-report-<id>.json in the
current folder.
With --json the report goes to standard output instead, and nothing else does.

Interrupted (network, crash, Ctrl-C)? Run the same command again from the same folder: it
continues the same import, each part from the byte the server has. The state is kept in
.pixelunion-takeout-<hash>.json there (or in the --state file) until the import ends.
PIXELUNION_SERVER and PIXELUNION_API_KEY may stand for the options.

Exit status: 0 when the import is done (the report names any file that failed), 1 when the
import failed or the server refused, 2 for a usage error.
`;

const partPattern = /\.(zip|tgz|tar\.gz)$/i;

export type { TakeoutReport };
export { summarize } from './takeout.summary.js';
export { defaultStateFile } from './takeout.state.js';
export { importTakeout, type TakeoutRunOptions } from './takeout.import.js';

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
