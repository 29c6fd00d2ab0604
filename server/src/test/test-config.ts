import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, DeleteBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Config } from '../config.js';
import type { Dialect } from '../db/database.js';
import { deleteQueueKeys } from '../jobs/bullmq.redis.js';
import { S3BlobStore } from '../storage/s3.blob-store.js';

/**
 * The configuration a test run is on. Embedded (SQLite, the queue in the database, blobs in the
 * data folder) unless the environment names all three services of the scale-out configuration:
 * DATABASE_URL (PostgreSQL), REDIS_URL (BullMQ) and PIXELUNION_TEST_S3_ENDPOINT (S3-compatible
 * object storage, such as the one `scripts/local-s3.ts` starts). DATABASE_URL alone adds a
 * PostgreSQL run of the parameterised tests, with the embedded queue and the data folder.
 */
export interface ScaleOutServices {
  /** A PostgreSQL server; every test server gets a fresh database of its own on it. */
  databaseUrl: string;
  /** Redis; every test server gets a queue prefix of its own, its keys deleted at close. */
  redisUrl: string;
  /** Object storage; every test server gets a bucket of its own, emptied and removed at close. */
  s3: Omit<S3Config, 'bucket' | 'prefix' | 'endpoint'> & { endpoint: string };
}

type Env = Record<string, string | undefined>;

function set(env: Env, name: string): string | null {
  const value = env[name];
  return value === undefined || value === '' ? null : value;
}

/** The scale-out services the environment names, or null when it does not name all three. */
export function scaleOutServices(env: Env = process.env): ScaleOutServices | null {
  const databaseUrl = set(env, 'DATABASE_URL');
  const redisUrl = set(env, 'REDIS_URL');
  const endpoint = set(env, 'PIXELUNION_TEST_S3_ENDPOINT');
  if (databaseUrl === null || redisUrl === null || endpoint === null) return null;
  return {
    databaseUrl,
    redisUrl,
    s3: {
      endpoint,
      region: set(env, 'PIXELUNION_TEST_S3_REGION') ?? 'us-east-1',
      // s3rver's only key pair; another S3-compatible server needs its own.
      accessKeyId: set(env, 'PIXELUNION_TEST_S3_ACCESS_KEY_ID') ?? 'S3RVER',
      secretAccessKey: set(env, 'PIXELUNION_TEST_S3_SECRET_ACCESS_KEY') ?? 'S3RVER',
      forcePathStyle: true,
    },
  };
}

export const scaleOut = scaleOutServices();

/**
 * The dialects a parameterised test (`describe.each(dialects)`) runs on: SQLite (embedded)
 * always, and PostgreSQL when DATABASE_URL is set, which is the whole scale-out configuration
 * when the run is one (see startTestServer).
 */
export const dialects: Dialect[] = set(process.env, 'DATABASE_URL')
  ? ['sqlite', 'postgres']
  : ['sqlite'];

/** The dialect of a test server whose test does not choose one: the run's configuration. */
export const runDialect: Dialect = scaleOut ? 'postgres' : 'sqlite';

interface TestBucket {
  /** Environment for loadConfig() that puts the server's blobs in this bucket. */
  env: Record<string, string>;
  /** Deletes every object in the bucket, then the bucket. */
  remove(): Promise<void>;
}

/** A new, empty bucket on the run's object storage, for one test server. */
async function createTestBucket(s3: ScaleOutServices['s3'], label: string): Promise<TestBucket> {
  const bucket = `${label}-${randomBytes(6).toString('hex')}`.toLowerCase();
  const client = new S3Client({
    region: s3.region,
    endpoint: s3.endpoint,
    forcePathStyle: s3.forcePathStyle,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    client.destroy();
    throw error;
  }
  return {
    env: {
      PIXELUNION_S3_ENDPOINT: s3.endpoint,
      PIXELUNION_S3_REGION: s3.region,
      PIXELUNION_S3_BUCKET: bucket,
      PIXELUNION_S3_ACCESS_KEY_ID: s3.accessKeyId,
      PIXELUNION_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      // The endpoint is on this machine, which residency cannot place: the test servers'
      // object storage is declared to be in an EU country, as an operator's own MinIO would be.
      PIXELUNION_STORAGE_LOCATION: 'test object storage on this machine, Germany',
    },
    async remove() {
      // The store lists and deletes as the server does, so a listing of several pages works.
      const store = new S3BlobStore(
        { ...s3, bucket, prefix: '' },
        { location: bucket, tmpDir: path.join(os.tmpdir(), 'pixelunion-test-bucket') },
      );
      try {
        const keys: string[] = [];
        for await (const key of store.list('')) keys.push(key);
        for (const key of keys) await store.delete(key);
        await client.send(new DeleteBucketCommand({ Bucket: bucket }));
      } finally {
        store.close();
        client.destroy();
      }
    },
  };
}

export interface ScaleOutEnvironment {
  /** Environment for the server: REDIS_URL with a queue prefix, and the PIXELUNION_S3_* of a bucket. */
  env: Record<string, string>;
  /** Deletes the queue's keys and the bucket. */
  release(): Promise<void>;
}

/**
 * A queue prefix and a bucket, both named `label` (3–50 lowercase letters, digits and dashes), of
 * one server's own on the run's Redis and object storage; PostgreSQL is the caller's to give.
 */
export async function scaleOutEnvironment(
  services: ScaleOutServices,
  label: string,
): Promise<ScaleOutEnvironment> {
  const bucket = await createTestBucket(services.s3, label);
  return {
    env: { ...bucket.env, REDIS_URL: services.redisUrl, PIXELUNION_QUEUE_PREFIX: label },
    async release() {
      await deleteQueueKeys(services.redisUrl, label);
      await bucket.remove();
    },
  };
}
