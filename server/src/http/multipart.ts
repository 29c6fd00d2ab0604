import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../errors.js';

export interface UploadedPart {
  stream: Readable;
  filename: string;
  fields: Record<string, string>;
}

/**
 * The one file of a multipart upload, as a stream, with the text fields sent before it
 * (clients must send fields such as `fileCreatedAt` before the `file` part).
 */
export async function fileFromMultipart(
  request: FastifyRequest,
  fieldName: string,
): Promise<UploadedPart> {
  if (!request.isMultipart()) {
    throw new DomainError('VALIDATION_FAILED', 'Send the file as multipart/form-data');
  }
  const part = await request.file();
  if (!part)
    throw new DomainError('VALIDATION_FAILED', `The multipart body has no "${fieldName}" file`);
  if (part.fieldname !== fieldName) {
    part.file.resume();
    throw new DomainError(
      'VALIDATION_FAILED',
      `Expected the file in the field "${fieldName}", got "${part.fieldname}"`,
    );
  }
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(part.fields)) {
    if (
      value &&
      !Array.isArray(value) &&
      value.type === 'field' &&
      typeof value.value === 'string'
    ) {
      fields[name] = value.value;
    }
  }
  return { stream: part.file, filename: part.filename, fields };
}

export function optionalDate(fields: Record<string, string>, name: string): Date | undefined {
  const raw = fields[name];
  if (raw === undefined || raw === '') return undefined;
  const date = new Date(/^\d+$/.test(raw) ? Number(raw) : raw);
  if (Number.isNaN(date.getTime())) {
    throw new DomainError('VALIDATION_FAILED', `${name} is not a date: "${raw}" (use ISO 8601)`);
  }
  return date;
}
