import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { Config } from '../config.js';
import { runPeriodically } from '../jobs/periodic.js';
import { coarseAddress } from './client-description.js';

const DAY_MS = 86_400_000;

/** `/s/<key>` (the web app's page of a share link) and `/api/s/<key>/…` (its API). */
const LINK_KEY = /^(\/(?:api\/)?s\/)[^/?#]+/;
/** Query parameters whose values are secrets wherever they appear. */
const SECRET_PARAM = /token|key|secret|pass|session|auth|code|sig/i;
const MASK = '[hidden]';

/** A request URL without its secrets: a share link's key, secret query values. */
export function maskUrl(url: string): string {
  const at = url.indexOf('?');
  const pathname = (at === -1 ? url : url.slice(0, at)).replace(LINK_KEY, `$1${MASK}`);
  if (at === -1) return pathname;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const name = pair.split('=', 1)[0] ?? '';
      return SECRET_PARAM.test(name) ? `${name}=${MASK}` : pair;
    })
    .join('&');
  return `${pathname}?${query}`;
}

/** What a request log line is given: Fastify's request, or a bare Node request. */
interface LoggedRequest {
  method?: string;
  url?: string;
  ip?: string;
  routeOptions?: { url?: string };
  socket?: { remoteAddress?: string } | null;
}

/**
 * The one request serializer: method, masked URL, route pattern and the client's address
 * coarsened (192.168.x.x, a /48 for IPv6). No headers, cookies, ports or full addresses, so
 * the logs hold nothing that identifies a visitor or opens a link.
 */
export function serializeRequest(request: LoggedRequest): Record<string, string | undefined> {
  return {
    method: request.method,
    url: request.url === undefined ? undefined : maskUrl(request.url),
    route: request.routeOptions?.url,
    remoteAddress: coarseAddress(request.ip ?? request.socket?.remoteAddress ?? ''),
  };
}

/** Options of every pino logger of the server: the context's and Fastify's. */
export function loggerOptions(level: Config['logLevel']): LoggerOptions {
  return {
    level,
    serializers: {
      req: serializeRequest,
      res: (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode }),
      err: pino.stdSerializers.err,
    },
    // Nothing logs these today; should a line ever carry them, they are removed.
    redact: {
      paths: ['password', '*.password', 'headers', '*.headers', 'cookies', '*.cookies'],
      remove: true,
    },
  };
}

/** `pixelunion-YYYY-MM-DD.log`: the day (UTC) of its lines. */
const logFileName = (at: number): string =>
  `pixelunion-${new Date(at).toISOString().slice(0, 10)}.log`;
const LOG_FILE = /^pixelunion-(\d{4}-\d{2}-\d{2})\.log$/;

/**
 * Appends each line to the file of the current day (UTC) in `dir`, opening the next file at
 * midnight. Writes are synchronous, like pino's own standard output, so the last lines before
 * a crash are on disk.
 */
export class DailyLogFiles implements DestinationStream {
  private fd: number | null = null;
  private name = '';

  constructor(
    private readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {
    fs.mkdirSync(dir, { recursive: true });
  }

  write(line: string): void {
    const name = logFileName(this.now());
    if (name !== this.name || this.fd === null) {
      this.close();
      this.fd = fs.openSync(path.join(this.dir, name), 'a', 0o640);
      this.name = name;
    }
    fs.writeSync(this.fd, line);
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

/**
 * Deletes the log files of `dir` whose day began `retentionDays` days ago or more, so that no
 * line is kept longer than that (give or take the hour between two runs). Answers how many
 * files were deleted; other files in the folder are left alone.
 */
export async function deleteExpiredLogs(
  dir: string,
  retentionDays: number,
  now: number = Date.now(),
): Promise<number> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return 0;
  }
  let deleted = 0;
  for (const name of names) {
    const day = LOG_FILE.exec(name)?.[1];
    const began = day === undefined ? NaN : Date.parse(`${day}T00:00:00Z`);
    if (Number.isNaN(began) || began + retentionDays * DAY_MS > now) continue;
    await fsp.rm(path.join(dir, name), { force: true });
    deleted++;
  }
  return deleted;
}

export interface Logging {
  /** The server's logger (context, jobs, periodic tasks). */
  log: Logger;
  /** Fastify's logger options: the same serializers and destination. */
  http: LoggerOptions & { stream: DestinationStream };
  /** Deletes expired log files now and every hour (`log-retention`); answers the stop. */
  startRetention(): () => Promise<void>;
  close(): void;
}

/**
 * The server's logging: JSON lines on standard output and, with `logDir`, in one file per day
 * there, deleted after `logRetentionDays`.
 */
export function createLogging(
  config: Pick<Config, 'logLevel' | 'logDir' | 'logRetentionDays'>,
  stdout: DestinationStream = pino.destination(1),
): Logging {
  const files = config.logDir === null ? null : new DailyLogFiles(config.logDir);
  // Each stream takes every line the logger lets through: the logger's level decides.
  const stream = files
    ? pino.multistream([
        { level: 'trace', stream: stdout },
        { level: 'trace', stream: files },
      ])
    : stdout;
  const options = loggerOptions(config.logLevel);
  const log = pino(options, stream);
  return {
    log,
    http: { ...options, stream },
    startRetention() {
      const { logDir, logRetentionDays } = config;
      if (logDir === null) return () => Promise.resolve();
      return runPeriodically(
        'log-retention',
        3_600_000,
        () => deleteExpiredLogs(logDir, logRetentionDays),
        log,
      );
    },
    close() {
      files?.close();
    },
  };
}
