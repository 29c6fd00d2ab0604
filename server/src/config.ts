import { isIP } from 'node:net';
import path from 'node:path';
import { queueNames, type QueueName } from './jobs/job-queue.js';

/** The one configuration object, read from the environment once and frozen. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  /** SQLite file used when DATABASE_URL is unset. */
  sqlitePath: string;
  storageLocation: string;
  jobConcurrency: number;
  /** Jobs of each queue run at once per process: PIXELUNION_JOB_CONCURRENCY_<QUEUE>, else the above. */
  queueConcurrency: Readonly<Record<QueueName, number>>;
  /** Redis for BullMQ (scale-out), or null for the embedded queue in the database. */
  redisUrl: string | null;
  /** Prefix of every BullMQ key in Redis, so several installations can share one Redis. */
  queuePrefix: string;
  sessionDays: number;
  loginMaxAttempts: number;
  loginWindowSeconds: number;
  maxUploadBytes: number;
  /** Days an asset stays in the trash before it is deleted for good; 0 keeps it until emptied. */
  trashDays: number;
  /** Days a new share link lives unless its owner chooses otherwise ("never" is explicit). */
  linkDefaultDays: number;
  /** Days a share link's use log is kept. */
  linkLogDays: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  /** Days between a user's request to delete their account and its erasure; 0 erases at once. */
  erasureGraceDays: number;
  /** Folder of the server's own log files (one per day), or null to log to stdout only. */
  logDir: string | null;
  /** Days a log file is kept before it is deleted. */
  logRetentionDays: number;
  /** S3-compatible object storage for blobs, or null for the local folder. */
  s3: S3Config | null;
  /** `eu`: refuse to start on object storage outside the EU/EEA. `off`: no check. */
  dataResidency: 'eu' | 'off';
  /** `all`: HTTP API and background work in one process; `api` or `worker`: one of the two. */
  role: 'all' | 'api' | 'worker';
  /** Port of the Prometheus `/metrics` listener, or null (the default) for none. */
  metricsPort: number | null;
  metricsHost: string;
  /** Seconds a stop waits for requests and jobs in progress before the process gives up. */
  shutdownSeconds: number;
  /**
   * Addresses or CIDR ranges of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are
   * believed (the client's address for rate limits and logs, https for secure cookies); empty:
   * none, every request is taken as coming from its TCP peer.
   */
  trustedProxies: readonly string[];
  /**
   * How far V8 lets the JavaScript heap grow past what was alive at its last full collection,
   * in percent; 0 leaves it to V8 (up to 4× on a machine with plenty of memory).
   */
  heapGrowthPercent: number;
}

export interface S3Config {
  /** Full URL of an S3-compatible endpoint, or null for AWS itself (region decides the host). */
  endpoint: string | null;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Path-style URLs (`endpoint/bucket/key`), needed by most non-AWS servers. */
  forcePathStyle: boolean;
  /** Key prefix inside the bucket, so one bucket can hold several installations. */
  prefix: string;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim()))
    throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

function databaseUrl(env: Env): string | null {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', 'is not a URL (expected postgres://user@host:port/db)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `must start with postgres://, got "${url.protocol}//"`);
  }
  return raw;
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;

function logLevel(env: Env): Config['logLevel'] {
  const raw = env.PIXELUNION_LOG_LEVEL ?? 'info';
  const found = logLevels.find((level) => level === raw);
  if (!found)
    throw new ConfigError('PIXELUNION_LOG_LEVEL', `must be one of ${logLevels.join(', ')}`);
  return found;
}

function s3Config(env: Env): S3Config | null {
  const bucket = env.PIXELUNION_S3_BUCKET;
  if (bucket === undefined || bucket === '') return null;
  const endpoint = env.PIXELUNION_S3_ENDPOINT ?? '';
  if (endpoint !== '') {
    try {
      const url = new URL(endpoint);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(url.protocol);
    } catch {
      throw new ConfigError('PIXELUNION_S3_ENDPOINT', `is not an http(s) URL, got "${endpoint}"`);
    }
  }
  const region = env.PIXELUNION_S3_REGION ?? '';
  if (region === '')
    throw new ConfigError('PIXELUNION_S3_REGION', 'must be set with PIXELUNION_S3_BUCKET');
  const accessKeyId = env.PIXELUNION_S3_ACCESS_KEY_ID ?? env.AWS_ACCESS_KEY_ID ?? '';
  const secretAccessKey = env.PIXELUNION_S3_SECRET_ACCESS_KEY ?? env.AWS_SECRET_ACCESS_KEY ?? '';
  if (accessKeyId === '' || secretAccessKey === '') {
    throw new ConfigError(
      'PIXELUNION_S3_ACCESS_KEY_ID',
      'and PIXELUNION_S3_SECRET_ACCESS_KEY must be set with PIXELUNION_S3_BUCKET',
    );
  }
  const prefix = (env.PIXELUNION_S3_PREFIX ?? '').replace(/^\/+|\/+$/g, '');
  return {
    endpoint: endpoint === '' ? null : endpoint,
    region,
    bucket,
    accessKeyId,
    secretAccessKey,
    forcePathStyle:
      (env.PIXELUNION_S3_FORCE_PATH_STYLE ?? (endpoint === '' ? 'false' : 'true')) === 'true',
    prefix: prefix === '' ? '' : `${prefix}/`,
  };
}

function dataResidency(env: Env): Config['dataResidency'] {
  const raw = env.PIXELUNION_DATA_RESIDENCY ?? 'eu';
  if (raw !== 'eu' && raw !== 'off') {
    throw new ConfigError('PIXELUNION_DATA_RESIDENCY', `must be "eu" or "off", got "${raw}"`);
  }
  return raw;
}

function redisUrl(env: Env): string | null {
  const raw = env.REDIS_URL;
  if (raw === undefined || raw === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('REDIS_URL', 'is not a URL (expected redis://host:port or rediss://…)');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigError(
      'REDIS_URL',
      `must start with redis:// or rediss://, got "${url.protocol}//"`,
    );
  }
  return raw;
}

function queuePrefix(env: Env): string {
  const raw = env.PIXELUNION_QUEUE_PREFIX ?? 'pixelunion';
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(raw)) {
    throw new ConfigError(
      'PIXELUNION_QUEUE_PREFIX',
      `must be 1–64 letters, digits, ".", "_" or "-", got "${raw}"`,
    );
  }
  return raw;
}

/** `thumbnails` → `PIXELUNION_JOB_CONCURRENCY_THUMBNAILS`, `delete-files` → `…_DELETE_FILES`. */
function concurrencyVariable(queue: QueueName): string {
  return `PIXELUNION_JOB_CONCURRENCY_${queue.toUpperCase().replaceAll('-', '_')}`;
}

function queueConcurrency(env: Env, fallback: number): Record<QueueName, number> {
  const known = new Set(queueNames.map(concurrencyVariable));
  // A misspelt queue name would silently keep the default: refuse it instead.
  for (const name of Object.keys(env)) {
    if (name.startsWith('PIXELUNION_JOB_CONCURRENCY_') && !known.has(name)) {
      throw new ConfigError(name, `names no queue; known: ${[...known].join(', ')}`);
    }
  }
  return Object.fromEntries(
    queueNames.map((queue) => [queue, integer(env, concurrencyVariable(queue), fallback, 1, 64)]),
  ) as Record<QueueName, number>;
}

export function loadConfig(env: Env = process.env): Config {
  const dataDir = path.resolve(env.PIXELUNION_DATA_DIR ?? './data');
  return Object.freeze({
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: env.HOST ?? '127.0.0.1',
    dataDir,
    databaseUrl: databaseUrl(env),
    sqlitePath: path.join(dataDir, 'pixelunion.sqlite'),
    storageLocation: env.PIXELUNION_STORAGE_LOCATION ?? 'local disk of this server',
    jobConcurrency: integer(env, 'PIXELUNION_JOB_CONCURRENCY', 2, 1, 64),
    queueConcurrency: queueConcurrency(env, integer(env, 'PIXELUNION_JOB_CONCURRENCY', 2, 1, 64)),
    redisUrl: redisUrl(env),
    queuePrefix: queuePrefix(env),
    sessionDays: integer(env, 'PIXELUNION_SESSION_DAYS', 30, 1, 3650),
    loginMaxAttempts: integer(env, 'PIXELUNION_LOGIN_MAX_ATTEMPTS', 10, 1, 1000),
    loginWindowSeconds: integer(env, 'PIXELUNION_LOGIN_WINDOW_SECONDS', 900, 1, 86400),
    maxUploadBytes: integer(env, 'PIXELUNION_MAX_UPLOAD_BYTES', 100 * 1024 ** 3, 1, 2 ** 52),
    trashDays: integer(env, 'PIXELUNION_TRASH_DAYS', 30, 0, 3650),
    linkDefaultDays: integer(env, 'PIXELUNION_LINK_DEFAULT_DAYS', 30, 1, 3650),
    linkLogDays: integer(env, 'PIXELUNION_LINK_LOG_DAYS', 90, 1, 3650),
    logLevel: logLevel(env),
    erasureGraceDays: integer(env, 'PIXELUNION_ERASURE_GRACE_DAYS', 7, 0, 365),
    logDir: env.PIXELUNION_LOG_DIR ? path.resolve(env.PIXELUNION_LOG_DIR) : null,
    logRetentionDays: integer(env, 'PIXELUNION_LOG_RETENTION_DAYS', 14, 1, 3650),
    s3: s3Config(env),
    dataResidency: dataResidency(env),
    heapGrowthPercent: integer(env, 'PIXELUNION_HEAP_GROWTH_PERCENT', 50, 0, 300),
    ...operations(env),
  });
}

const roles = ['all', 'api', 'worker'] as const;

/** The process's role, metrics listener and stop deadline (see docs/deploy.md). */
function operations(
  env: Env,
): Pick<Config, 'role' | 'metricsPort' | 'metricsHost' | 'shutdownSeconds' | 'trustedProxies'> {
  const raw =
    env.PIXELUNION_ROLE === undefined || env.PIXELUNION_ROLE === '' ? 'all' : env.PIXELUNION_ROLE;
  const role = roles.find((r) => r === raw);
  if (!role)
    throw new ConfigError('PIXELUNION_ROLE', `must be one of ${roles.join(', ')}, got "${raw}"`);
  // Without PostgreSQL each process would open its own SQLite file in its data folder: a worker
  // would wait for jobs no api process can ever give it.
  if (role !== 'all' && databaseUrl(env) === null) {
    throw new ConfigError(
      'PIXELUNION_ROLE',
      `is "${role}", which needs DATABASE_URL (PostgreSQL shared by every process); SQLite serves one process of role "all"`,
    );
  }
  const metricsPort =
    env.PIXELUNION_METRICS_PORT === undefined || env.PIXELUNION_METRICS_PORT === ''
      ? null
      : integer(env, 'PIXELUNION_METRICS_PORT', 0, 0, 65535);
  if (
    metricsPort !== null &&
    metricsPort !== 0 &&
    metricsPort === integer(env, 'PORT', 8080, 0, 65535)
  ) {
    throw new ConfigError('PIXELUNION_METRICS_PORT', `must differ from PORT (${metricsPort})`);
  }
  return {
    role,
    metricsPort,
    metricsHost: env.PIXELUNION_METRICS_HOST || '127.0.0.1',
    shutdownSeconds: integer(env, 'PIXELUNION_SHUTDOWN_SECONDS', 30, 1, 3600),
    trustedProxies: trustedProxies(env),
  };
}

/** `PIXELUNION_TRUSTED_PROXIES`: a comma-separated list of IP addresses and CIDR ranges. */
function trustedProxies(env: Env): readonly string[] {
  const items = (env.PIXELUNION_TRUSTED_PROXIES ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  for (const item of items) {
    const [address = '', prefix, extra] = item.split('/');
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    if (
      family === 0 ||
      extra !== undefined ||
      (prefix !== undefined && (!/^\d+$/.test(prefix) || Number(prefix) > bits))
    ) {
      throw new ConfigError(
        'PIXELUNION_TRUSTED_PROXIES',
        `must list IP addresses or CIDR ranges (e.g. 172.28.0.10 or 10.0.0.0/8), got "${item}"`,
      );
    }
  }
  return Object.freeze(items);
}
