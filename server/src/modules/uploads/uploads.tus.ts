import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../errors.js';
import { optionalDate } from '../../http/multipart.js';
import type { ResumableInfo, UploadState } from './uploads.state.js';

/** The tus 1.0.0 headers: reading them from a request, writing an upload's state to a reply. */
export const tusVersion = '1.0.0';
export const chunkContentType = 'application/offset+octet-stream';

export function requireTusVersion(request: FastifyRequest): void {
  const version = request.headers['tus-resumable'];
  if (version !== tusVersion) {
    throw new DomainError(
      'TUS_VERSION_UNSUPPORTED',
      version === undefined
        ? `Send the header Tus-Resumable: ${tusVersion}`
        : `Tus-Resumable ${String(version)} is not supported; this server speaks ${tusVersion}`,
    );
  }
}

export function isChunk(request: FastifyRequest): boolean {
  const type = request.headers['content-type'];
  return type?.split(';')[0]?.trim().toLowerCase() === chunkContentType;
}

export function requireChunk(request: FastifyRequest): void {
  if (!isChunk(request)) {
    throw new DomainError(
      'UNSUPPORTED_CONTENT_TYPE',
      `Send the bytes with Content-Type: ${chunkContentType}`,
    );
  }
}

/** A header holding a byte count; `undefined` when absent and not `required`. */
export function byteCount(request: FastifyRequest, name: string, required: true): number;
export function byteCount(request: FastifyRequest, name: string): number | undefined;
export function byteCount(request: FastifyRequest, name: string, required = false) {
  const raw = request.headers[name.toLowerCase()];
  if (raw === undefined && !required) return undefined;
  if (typeof raw !== 'string' || !/^\d{1,16}$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new DomainError(
      'VALIDATION_FAILED',
      raw === undefined
        ? `The header ${name} is required`
        : `${name} must be a whole number of bytes, got "${String(raw)}"`,
    );
  }
  return Number(raw);
}

/** Upload-Metadata: comma-separated `key base64value` pairs (the value may be absent). */
export function uploadInfoOf(request: FastifyRequest): ResumableInfo {
  const header = request.headers['upload-metadata'];
  const fields: Record<string, string> = {};
  for (const pair of (typeof header === 'string' ? header : '').split(',')) {
    if (pair.trim() === '') continue;
    const [key = '', value = '', ...rest] = pair.trim().split(' ');
    if (rest.length > 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 === 1) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `Upload-Metadata must be "key base64value" pairs separated by commas; "${key}" is not`,
      );
    }
    fields[key] = Buffer.from(value, 'base64').toString('utf8');
  }
  const filename = fields.filename?.trim() || 'upload';
  if (filename.length > 1024) {
    throw new DomainError('VALIDATION_FAILED', 'The filename is longer than 1024 characters');
  }
  const takeoutImportId = fields.takeoutImportId?.trim();
  return {
    filename,
    fileCreatedAt: optionalDate(fields, 'fileCreatedAt'),
    fileModifiedAt: optionalDate(fields, 'fileModifiedAt'),
    ...(takeoutImportId ? { takeoutImportId } : {}),
  };
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** Upload-Offset and what goes with it: expiry while unfinished, the asset once finished. */
export function withState(
  reply: FastifyReply,
  state: UploadState,
  extra: { length?: boolean } = {},
): FastifyReply {
  void reply.header('upload-offset', String(state.offset));
  if (extra.length) {
    const { filename, fileCreatedAt, fileModifiedAt } = state.info;
    const metadata = [`filename ${base64(filename)}`];
    if (fileCreatedAt) metadata.push(`fileCreatedAt ${base64(fileCreatedAt.toISOString())}`);
    if (fileModifiedAt) metadata.push(`fileModifiedAt ${base64(fileModifiedAt.toISOString())}`);
    const { takeoutImportId } = state.info;
    if (takeoutImportId) metadata.push(`takeoutImportId ${base64(takeoutImportId)}`);
    void reply.header('upload-length', String(state.length));
    void reply.header('upload-metadata', metadata.join(','));
  }
  if (state.expiresAt) void reply.header('upload-expires', state.expiresAt.toUTCString());
  if (state.asset) {
    void reply.header('pixelunion-asset-id', state.asset.id);
    void reply.header('pixelunion-asset-status', state.asset.status);
  }
  return reply;
}
