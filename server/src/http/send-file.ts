import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../errors.js';
import type { ByteRange } from '../storage/blob-store.js';

/** Parses a single `bytes=` range; undefined for none (or a multi-range, served whole). */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, from = '', to = ''] = match;
  let start: number;
  let end: number;
  if (from === '') {
    if (to === '') return undefined;
    start = Math.max(0, size - Number(to));
    end = size - 1;
  } else {
    start = Number(from);
    end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  }
  if (start > end || start >= size) {
    throw new DomainError(
      'RANGE_NOT_SATISFIABLE',
      `Range ${header} is outside the file's ${size} bytes`,
      { size },
    );
  }
  return { start, end };
}

export function contentDisposition(kind: 'inline' | 'attachment', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export function sendStream(
  request: FastifyRequest,
  reply: FastifyReply,
  file: {
    size: number;
    range?: ByteRange;
    stream: Readable;
    contentType: string;
    etag: string;
    cacheControl?: string;
  },
): FastifyReply {
  void reply
    .header('content-type', file.contentType)
    .header('accept-ranges', 'bytes')
    .header('etag', `"${file.etag}"`)
    .header('cache-control', file.cacheControl ?? 'private, max-age=0, must-revalidate');
  if (request.headers['if-none-match'] === `"${file.etag}"` && !file.range) {
    file.stream.destroy();
    return reply.status(304).send();
  }
  if (file.range) {
    const { start, end } = file.range;
    void reply
      .status(206)
      .header('content-range', `bytes ${start}-${end}/${file.size}`)
      .header('content-length', end - start + 1);
  } else {
    void reply.header('content-length', file.size);
  }
  return reply.send(file.stream);
}
