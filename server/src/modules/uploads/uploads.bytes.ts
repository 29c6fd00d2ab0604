import type { Readable } from 'node:stream';

/** An upload as the place of its bytes knows it: chunk objects are filed under the owner. */
export interface UploadRef {
  id: string;
  ownerId: string;
}

/** One request body to keep at `offset`, the upload's stored offset. */
export interface IncomingChunk {
  offset: number;
  source: Readable;
  /** What remains of Upload-Length; `error` stops a body that goes past it. */
  limit: { bytes: number; error: () => Error };
  /** Aborted when another request took the upload over. */
  signal: AbortSignal;
  /** Whether this request still holds the upload's lock (and keeps it fresh). */
  stillHeld(): Promise<boolean>;
}

export interface ReceivedChunk {
  /** The upload's offset once every accepted byte is kept: the new offset to store. */
  size: number;
  /** Why the body stopped before its end: connection cut, too many bytes, disk error, abort. */
  failure?: Error;
  /**
   * Once this body brought the last byte: the whole upload as one local file, for ingestion
   * (which may move it away).
   */
  assemble(): Promise<string>;
  /** Removes the local files this request made that are still there; call once done. */
  dispose(): Promise<void>;
}

/**
 * Where the bytes of unfinished resumable uploads live between requests. The offset in the
 * database only counts bytes that `receive` has kept, so a process may crash at any point.
 */
export interface UploadBytes {
  /** Called once the upload's row exists, before any byte arrives. */
  create(upload: UploadRef): Promise<void>;
  /**
   * How many of the upload's first bytes are really kept, without a gap; null when its bytes
   * are gone altogether (removed while it was being finished).
   */
  held(upload: UploadRef): Promise<number | null>;
  /**
   * Keeps a request body at `chunk.offset`, first dropping bytes at or past it that a write the
   * database never counted left. Bytes that arrived before an interruption are kept too.
   */
  receive(upload: UploadRef, chunk: IncomingChunk): Promise<ReceivedChunk>;
  /** Removes every byte kept for the upload; removing what is not there is fine. */
  remove(upload: UploadRef): Promise<void>;
  /**
   * Removes the bytes of uploads that have no row any more (a crash, a deleted user);
   * `existing` answers which of some ids still have one. Answers how many uploads it removed.
   */
  removeOrphans(existing: (ids: string[]) => Promise<Set<string>>): Promise<number>;
}

/** How many ids `removeOrphans` checks with one query. */
export const orphanBatch = 500;
