import path from 'node:path';

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
    sessionDays: integer(env, 'PIXELUNION_SESSION_DAYS', 30, 1, 3650),
    loginMaxAttempts: integer(env, 'PIXELUNION_LOGIN_MAX_ATTEMPTS', 10, 1, 1000),
    loginWindowSeconds: integer(env, 'PIXELUNION_LOGIN_WINDOW_SECONDS', 900, 1, 86400),
    maxUploadBytes: integer(env, 'PIXELUNION_MAX_UPLOAD_BYTES', 100 * 1024 ** 3, 1, 2 ** 52),
    trashDays: integer(env, 'PIXELUNION_TRASH_DAYS', 30, 0, 3650),
    linkDefaultDays: integer(env, 'PIXELUNION_LINK_DEFAULT_DAYS', 30, 1, 3650),
    linkLogDays: integer(env, 'PIXELUNION_LINK_LOG_DAYS', 90, 1, 3650),
    logLevel: logLevel(env),
  });
}
