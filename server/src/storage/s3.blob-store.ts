import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ConfigError, type S3Config } from '../config.js';
import type { BlobStore, ByteRange, StoredBlob } from './blob-store.js';

// The SDK warns at client creation that its releases after January 2027 will need Node 22. The
// project declares the Node versions it supports in package.json; the SDK's documented switch
// (aws/aws-sdk-js-v3#7983) silences that one warning, unless the operator set it otherwise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** S3 allows at most 10,000 parts in one multipart upload. */
const maxParts = 10_000;
const mib = 1024 * 1024;

export interface S3BlobStoreOptions {
  /** Shown on the privacy page (see residency.ts). */
  location: string;
  /** Folder for the local copies handed out by `localFile`. */
  tmpDir: string;
  /** Smallest part of a multipart upload; grows with the file so that 10,000 parts suffice. */
  partSize?: number;
  /** Parts uploaded at once; memory used by one upload is about partSize × queueSize. */
  queueSize?: number;
}

/** The error `read` and `localFile` give for a key with no blob: the code of a missing local file. */
export function missingBlob(key: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`No blob at ${key}`), { code: 'ENOENT' });
}

function statusOf(error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
}

function isMissing(error: unknown): boolean {
  return (
    statusOf(error) === 404 ||
    (error instanceof S3ServiceException &&
      (error.name === 'NoSuchKey' || error.name === 'NotFound'))
  );
}

/**
 * A stream that cuts `range` out of a body that does not start and end where asked: some
 * S3-compatible servers ignore Range (whole object, no Content-Range) or widen it. Null when the
 * server answered exactly the range asked (or its end clamped to the object's last byte).
 */
function sliceFor(range: ByteRange, contentRange: string | undefined): Transform | null {
  const answered = /^bytes (\d+)-(\d+)\//.exec(contentRange ?? '');
  const start = answered ? Number(answered[1]) : 0;
  const end = answered ? Number(answered[2]) : Infinity;
  if (start === range.start && end <= range.end) return null;
  if (start > range.start) throw new Error(`Object storage answered ${contentRange ?? ''}`);
  const skip = range.start - start;
  const stop = skip + (range.end - range.start + 1);
  let position = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const from = Math.max(skip - position, 0);
      const to = Math.min(stop - position, chunk.length);
      position += chunk.length;
      if (to > from) this.push(chunk.subarray(from, to));
      done();
    },
  });
}

/**
 * Blobs as objects of one bucket of S3-compatible object storage (AWS, Scaleway, OVHcloud,
 * Hetzner, MinIO…), below the configured key prefix.
 */
export class S3BlobStore implements BlobStore {
  readonly location: string;
  private readonly client: S3Client;
  private readonly tmpDir: string;
  private readonly partSize: number;
  private readonly queueSize: number;

  constructor(
    private readonly s3: S3Config,
    options: S3BlobStoreOptions,
  ) {
    this.location = options.location;
    this.tmpDir = options.tmpDir;
    this.partSize = Math.max(5 * mib, options.partSize ?? 8 * mib);
    this.queueSize = options.queueSize ?? 4;
    fs.mkdirSync(this.tmpDir, { recursive: true });
    this.client = new S3Client({
      region: s3.region,
      endpoint: s3.endpoint ?? undefined,
      forcePathStyle: s3.forcePathStyle,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      // A dead endpoint should fail the start-up check within seconds, not hang it. No overall
      // request timeout: a download may rightly last hours.
      requestHandler: { connectionTimeout: 10_000 },
      // Newer SDKs add CRC32 checksums to every upload by default (as headers or aws-chunked
      // trailers), which several S3-compatible servers reject. Send and check checksums only
      // where the operation requires them, as SDKs did before; SigV4 still signs every request.
      ...(s3.endpoint === null
        ? {}
        : {
            requestChecksumCalculation: 'WHEN_REQUIRED' as const,
            responseChecksumValidation: 'WHEN_REQUIRED' as const,
          }),
    });
  }

  /**
   * The object key of a blob key. Rejects keys that could alias or escape: absolute, empty
   * segments, `.`/`..` segments, backslashes, NUL; so each blob has one key, as on disk.
   */
  private objectKey(key: string): string {
    const segments = key.split('/');
    if (
      key === '' ||
      key.includes('\0') ||
      key.includes('\\') ||
      segments.some((segment) => segment === '' || segment === '.' || segment === '..')
    ) {
      throw new Error(`Blob key escapes the store: ${key}`);
    }
    return this.s3.prefix + key;
  }

  /**
   * Checks at start that the bucket exists and the credentials open it, so that a wrong setting
   * stops the server with a message naming the variable instead of failing the first upload.
   */
  async check(): Promise<void> {
    const where = this.s3.endpoint ?? `AWS region ${this.s3.region}`;
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.s3.bucket }));
    } catch (error) {
      const status = statusOf(error);
      const detail = error instanceof Error ? error.message || error.name : String(error);
      if (status === 404) {
        throw new ConfigError(
          'PIXELUNION_S3_BUCKET',
          `names bucket "${this.s3.bucket}", which does not exist at ${where}; create it first`,
        );
      }
      if (status === 401 || status === 403) {
        throw new ConfigError(
          'PIXELUNION_S3_ACCESS_KEY_ID',
          `and PIXELUNION_S3_SECRET_ACCESS_KEY were refused by ${where} for bucket ` +
            `"${this.s3.bucket}" (HTTP ${status}): check the key pair and its rights on the bucket`,
        );
      }
      if (status === 301 || status === 400) {
        const headers = error instanceof S3ServiceException ? error.$response?.headers : undefined;
        const actual = headers?.['x-amz-bucket-region'];
        throw new ConfigError(
          'PIXELUNION_S3_REGION',
          `is "${this.s3.region}", but bucket "${this.s3.bucket}" at ${where} ` +
            (actual ? `is in region "${actual}"` : `answered HTTP ${status} (${detail})`),
        );
      }
      if (status === undefined) {
        throw new ConfigError(
          'PIXELUNION_S3_ENDPOINT',
          `could not be reached (${where}, bucket "${this.s3.bucket}"): ${detail}`,
        );
      }
      throw new ConfigError(
        'PIXELUNION_S3_BUCKET',
        `"${this.s3.bucket}" could not be opened at ${where} (HTTP ${status}): ${detail}`,
      );
    }
  }

  async putFile(key: string, localPath: string): Promise<void> {
    const objectKey = this.objectKey(key);
    const { size } = await fsp.stat(localPath);
    // Parts grow with the file (in whole MiB) so that a 100 GiB original fits in 10,000 parts;
    // memory stays at about partSize × queueSize whatever the size.
    const partSize = Math.max(this.partSize, Math.ceil(size / maxParts / mib) * mib);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.s3.bucket, Key: objectKey, Body: fs.createReadStream(localPath) },
      partSize,
      queueSize: this.queueSize,
      leavePartsOnError: false,
    });
    await upload.done();
    await fsp.rm(localPath, { force: true });
  }

  /**
   * The blob's bytes. The request starts at once but resolves later, so the stream is fed when it
   * answers; a missing key makes it fail with code ENOENT, as a missing file does. A range past
   * the end gives no bytes, as on disk. Destroying the stream cancels the request.
   */
  read(key: string, range?: ByteRange): Readable {
    const objectKey = this.objectKey(key);
    const out = new PassThrough({ highWaterMark: mib });
    const abort = new AbortController();
    let answered = false;
    out.once('close', () => {
      if (!answered) abort.abort();
    });
    const fail = (error: unknown) => {
      if (out.destroyed) return;
      if (error instanceof S3ServiceException && error.name === 'InvalidRange') out.end();
      else if (isMissing(error)) out.destroy(missingBlob(key));
      else out.destroy(error instanceof Error ? error : new Error(String(error)));
    };
    const feed = async () => {
      const response = await this.client.send(
        new GetObjectCommand({
          Bucket: this.s3.bucket,
          Key: objectKey,
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
        { abortSignal: abort.signal },
      );
      answered = true;
      const body = response.Body;
      if (!(body instanceof Readable)) throw new Error(`Object storage gave no stream for ${key}`);
      if (out.destroyed) {
        body.destroy();
        return;
      }
      const slice = range ? sliceFor(range, response.ContentRange) : null;
      // pipeline ends `out`, passes errors on, and destroys the body if `out` is closed early.
      await (slice ? pipeline(body, slice, out) : pipeline(body, out));
    };
    feed().catch((error: unknown) => {
      answered = true;
      fail(error);
    });
    return out;
  }

  /** The blob's size, or null when there is none; other failures (network, rights) throw. */
  async size(key: string): Promise<number | null> {
    const objectKey = this.objectKey(key);
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.s3.bucket, Key: objectKey }),
      );
      return head.ContentLength ?? 0;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  /** Downloads the blob to a temporary file (keeping the key's extension, which tools read). */
  async localFile(key: string): Promise<{ path: string; release(): Promise<void> }> {
    this.objectKey(key);
    await fsp.mkdir(this.tmpDir, { recursive: true });
    const copy = path.join(this.tmpDir, `${randomUUID()}${path.posix.extname(key)}`);
    const release = () => fsp.rm(copy, { force: true });
    try {
      await pipeline(this.read(key), fs.createWriteStream(copy, { flags: 'wx' }));
    } catch (error) {
      await release();
      throw error;
    }
    return { path: copy, release };
  }

  /** Removes the blob; a blob that is not there is already removed. */
  async delete(key: string): Promise<void> {
    const objectKey = this.objectKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.s3.bucket, Key: objectKey }));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  /**
   * Every key below the folder `prefix` ("" for all), as the local store lists a folder: the
   * prefix is a folder, so `a/b` lists `a/b/…`, not `a/bc`. A prefix that would escape yields none.
   */
  async *list(prefix: string): AsyncIterable<string> {
    for await (const blob of this.listWithSizes(prefix)) yield blob.key;
  }

  /** As `list`, with the sizes that the listing gives anyway. */
  async *listWithSizes(prefix: string): AsyncIterable<StoredBlob> {
    const folder = prefix.replace(/\/+$/, '');
    if (folder !== '') {
      try {
        this.objectKey(folder);
      } catch {
        return;
      }
    }
    const listed = paginateListObjectsV2(
      { client: this.client },
      { Bucket: this.s3.bucket, Prefix: this.s3.prefix + (folder === '' ? '' : `${folder}/`) },
    );
    for await (const page of listed) {
      for (const object of page.Contents ?? []) {
        if (object.Key !== undefined) {
          yield { key: object.Key.slice(this.s3.prefix.length), size: object.Size ?? 0 };
        }
      }
    }
  }

  /** Closes the client's connections. */
  close(): void {
    this.client.destroy();
  }
}
