import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { S3Config } from '../config.js';

/** The part of s3rver's API used here (the package ships no types). */
interface S3rverServer {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverServer;

const require = createRequire(import.meta.url);

/** The two functions of node:crypto that s3rver calls with single DES. */
interface CipherFactories {
  createCipheriv(algorithm: string, key: Buffer, iv: Buffer): unknown;
  createDecipheriv(algorithm: string, key: Buffer, iv: Buffer): unknown;
}
let desEmulated = false;

/**
 * s3rver seals ListObjectsV2 continuation tokens with single DES (`des`), which the OpenSSL 3 of
 * Node 20 no longer offers, so any listing longer than one page fails with InternalError. Single
 * DES with key K is exactly triple DES with key K|K|K, which OpenSSL still has: this maps the one
 * onto the other for the name `des` only, in the test process that starts s3rver.
 */
function emulateSingleDes(): void {
  if (desEmulated) return;
  desEmulated = true;
  const crypto = require('node:crypto') as CipherFactories;
  const cipher = crypto.createCipheriv.bind(crypto);
  const decipher = crypto.createDecipheriv.bind(crypto);
  const tripled = (key: Buffer) => Buffer.concat([key, key, key]);
  crypto.createCipheriv = (algorithm, key, iv) =>
    algorithm === 'des' ? cipher('des-ede3-cbc', tripled(key), iv) : cipher(algorithm, key, iv);
  crypto.createDecipheriv = (algorithm, key, iv) =>
    algorithm === 'des' ? decipher('des-ede3-cbc', tripled(key), iv) : decipher(algorithm, key, iv);
}

/** s3rver accepts only these credentials (its defaults). */
const accessKeyId = 'S3RVER';
const secretAccessKey = 'S3RVER';

export interface LocalS3 {
  /** e.g. http://127.0.0.1:41234 */
  endpoint: string;
  region: string;
  /** A bucket that exists (created at start). */
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** An S3Config for this server and bucket, with an optional key prefix ending in '/'. */
  config(prefix?: string): S3Config;
  /**
   * Environment for loadConfig() that selects this server (PIXELUNION_S3_*). Being on loopback,
   * it passes PIXELUNION_DATA_RESIDENCY=eu only with a PIXELUNION_STORAGE_LOCATION that names an
   * EU/EEA country; add one, or PIXELUNION_DATA_RESIDENCY=off.
   */
  env(): Record<string, string>;
  /** Stops the server and deletes its files. */
  stop(): Promise<void>;
}

/**
 * Starts an S3-compatible server (s3rver) on a free loopback port, keeping its objects in a new
 * temporary folder, with `buckets` created (the first is `bucket`; names need 3+ characters).
 * For tests of anything that talks to object storage.
 */
export async function startLocalS3(
  buckets: string[] = [`pixelunion-${randomBytes(4).toString('hex')}`],
): Promise<LocalS3> {
  const [bucket] = buckets;
  if (bucket === undefined || buckets.some((name) => name.length < 3)) {
    throw new Error('startLocalS3 needs bucket names of 3 characters or more');
  }
  const directory = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-s3rver-'));
  emulateSingleDes();
  const S3rver = require('s3rver') as S3rverConstructor;
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const region = 'us-east-1';
  return {
    endpoint,
    region,
    bucket,
    accessKeyId,
    secretAccessKey,
    config: (prefix = '') => ({
      endpoint,
      region,
      bucket,
      accessKeyId,
      secretAccessKey,
      forcePathStyle: true,
      prefix,
    }),
    env: () => ({
      PIXELUNION_S3_ENDPOINT: endpoint,
      PIXELUNION_S3_REGION: region,
      PIXELUNION_S3_BUCKET: bucket,
      PIXELUNION_S3_ACCESS_KEY_ID: accessKeyId,
      PIXELUNION_S3_SECRET_ACCESS_KEY: secretAccessKey,
    }),
    async stop() {
      await server.close();
      await fsp.rm(directory, { recursive: true, force: true });
    },
  };
}
