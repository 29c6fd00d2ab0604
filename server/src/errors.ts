/** Stable error codes of the domain; http/error-handler.ts maps each to one HTTP status. */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'NOT_READY'
  | 'ALREADY_SET_UP'
  | 'EMAIL_TAKEN'
  | 'INVALID_CREDENTIALS'
  | 'TOO_MANY_ATTEMPTS'
  | 'QUOTA_EXCEEDED'
  | 'FILE_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA'
  | 'RANGE_NOT_SATISFIABLE'
  | 'UNSUPPORTED_CONTENT_TYPE'
  | 'TUS_VERSION_UNSUPPORTED'
  | 'UPLOAD_OFFSET_MISMATCH'
  | 'UPLOAD_LOCKED'
  | 'LINK_EXPIRED'
  | 'LINK_REVOKED'
  | 'LINK_EXHAUSTED'
  | 'PASSWORD_REQUIRED'
  | 'WRONG_PASSWORD'
  | 'DOWNLOAD_NOT_ALLOWED'
  | 'UPLOAD_NOT_ALLOWED';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string): DomainError =>
  new DomainError('NOT_FOUND', `${what} not found`);
