import fsp from 'node:fs/promises';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { ApiClient } from './api-client.js';
import { collectFiles, sha1OfFile } from './files.js';

const help = `Usage: pixelunion upload <files or folders...> --server URL --api-key KEY [--concurrency N]

Uploads photos and videos, folders recursively. Files the server already has (same SHA-1) are
skipped without being sent. PIXELUNION_SERVER and PIXELUNION_API_KEY may stand for the options.
`;

export interface UploadSummary {
  uploaded: number;
  duplicates: number;
  failed: { file: string; reason: string }[];
}

interface Progress {
  start(total: number): void;
  tick(bytes: number): void;
  stop(): void;
}

function progressBar(): Progress {
  if (!process.stderr.isTTY)
    return { start: () => undefined, tick: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      format: 'uploading [{bar}] {percentage}% | {value}/{total} MB | {eta_formatted} left',
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  const mb = (bytes: number) => Math.round((bytes / 1e6) * 10) / 10;
  let done = 0;
  return {
    start: (total) => {
      bar.start(mb(total), 0);
    },
    tick: (bytes) => {
      done += bytes;
      bar.update(mb(done));
    },
    stop: () => {
      bar.stop();
    },
  };
}

export async function uploadPaths(
  client: ApiClient,
  paths: readonly string[],
  options: { concurrency: number; progress?: Progress; log?: (line: string) => void },
): Promise<UploadSummary> {
  const log = options.log ?? (() => undefined);
  const { files, missing } = await collectFiles(paths);
  const summary: UploadSummary = {
    uploaded: 0,
    duplicates: 0,
    failed: missing.map((file) => ({ file, reason: 'no such file or folder' })),
  };
  const hashed: { file: string; checksum: string; size: number }[] = [];
  for (const file of files) {
    try {
      hashed.push({ file, checksum: await sha1OfFile(file), size: (await fsp.stat(file)).size });
    } catch (error) {
      summary.failed.push({ file, reason: `cannot read: ${(error as Error).message}` });
    }
  }
  const existing = await client.existing([...new Set(hashed.map((h) => h.checksum))]);
  const seen = new Set<string>();
  const queue = hashed.filter((h) => {
    const duplicate = existing.has(h.checksum) || seen.has(h.checksum);
    seen.add(h.checksum);
    if (duplicate) summary.duplicates++;
    return !duplicate;
  });
  log(
    `${files.length} files: ${summary.duplicates} already on the server, ${queue.length} to upload`,
  );

  const progress = options.progress;
  progress?.start(queue.reduce((sum, h) => sum + h.size, 0));
  const work = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      try {
        const result = await client.upload(next.file);
        if (result.status === 'created') summary.uploaded++;
        else summary.duplicates++;
      } catch (error) {
        summary.failed.push({ file: next.file, reason: (error as Error).message });
      }
      progress?.tick(next.size);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, work));
  progress?.stop();
  return summary;
}

export async function runUploadCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        server: { type: 'string' },
        'api-key': { type: 'string' },
        concurrency: { type: 'string', default: '2' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${help}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const server = values.server ?? process.env.PIXELUNION_SERVER;
  const apiKey = values['api-key'] ?? process.env.PIXELUNION_API_KEY;
  const concurrency = Number(values.concurrency);
  if (values.help) {
    process.stdout.write(help);
    return 0;
  }
  if (!server || !apiKey || positionals.length === 0 || !(concurrency >= 1 && concurrency <= 16)) {
    process.stderr.write(
      `${!server ? 'Missing --server. ' : ''}${!apiKey ? 'Missing --api-key. ' : ''}${positionals.length === 0 ? 'No files given. ' : ''}\n\n${help}`,
    );
    return 2;
  }
  const client = new ApiClient(server, apiKey);
  try {
    await client.me();
  } catch (error) {
    process.stderr.write(`Cannot use ${server}: ${(error as Error).message}\n`);
    return 1;
  }
  const summary = await uploadPaths(client, positionals, {
    concurrency,
    progress: progressBar(),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(
    `uploaded: ${summary.uploaded}\nduplicate: ${summary.duplicates}\nfailed: ${summary.failed.length}\n`,
  );
  for (const f of summary.failed) process.stdout.write(`  ${f.file}: ${f.reason}\n`);
  return summary.failed.length > 0 ? 1 : 0;
}
