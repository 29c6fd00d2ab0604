import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type { Readable } from 'node:stream';

export interface AppendOutcome {
  /** The file's size once every received byte is on disk: the upload's new offset. */
  size: number;
  /** Why the body stopped before its end: connection cut, too many bytes, disk error, abort. */
  failure?: Error;
}

/**
 * Writes `source` into `file` from `offset`, at most `maxBytes`, in constant memory (the source
 * is paused while the disk catches up). The file is first cut at `offset`: bytes past it are
 * left by a write the database never counted. Bytes that arrived before an interruption are kept.
 * `source` is paused, never destroyed, when writing stops early, so that its connection can
 * still carry an answer.
 */
export async function appendToFile(
  source: Readable,
  file: string,
  offset: number,
  limit: { bytes: number; error: () => Error },
  signal: AbortSignal,
  idleMs = 60_000,
): Promise<AppendOutcome> {
  await fsp.truncate(file, offset);
  const out = fs.createWriteStream(file, {
    flags: 'r+',
    start: offset,
    highWaterMark: 1024 * 1024,
  });
  let writeError: Error | undefined;
  out.on('error', (error) => {
    writeError ??= error;
  });
  const failure = await new Promise<Error | undefined>((resolve) => {
    let received = 0;
    // A connection that died silently (no FIN: Wi-Fi gone, a NAT forgetting it) sends nothing
    // more; without this the request, and the upload's lock, would wait for ever.
    let lastActivity = Date.now();
    const idle = setInterval(
      () => {
        if (Date.now() - lastActivity > idleMs) {
          stop(new Error(`no bytes arrived for ${String(idleMs / 1000)} s`));
        }
      },
      Math.min(idleMs, 5000),
    );
    const onData = (chunk: Buffer) => {
      lastActivity = Date.now();
      received += chunk.length;
      if (received > limit.bytes) stop(limit.error());
      else if (!out.write(chunk)) source.pause();
    };
    const onDrain = () => {
      lastActivity = Date.now();
      source.resume();
    };
    const onEnd = () => {
      stop();
    };
    const onClose = () => {
      stop(new Error('the connection closed before the end of the body'));
    };
    const onError = (error: Error) => {
      stop(error);
    };
    const onAbort = () => {
      stop(new Error('the upload was taken over by another request'));
    };
    function stop(error?: Error) {
      clearInterval(idle);
      source.off('data', onData).off('end', onEnd).off('close', onClose).off('error', onError);
      out.off('drain', onDrain).off('error', onError);
      signal.removeEventListener('abort', onAbort);
      source.pause();
      resolve(error);
    }
    if (source.readableEnded) {
      stop();
      return;
    }
    if (source.destroyed || signal.aborted) {
      stop(new Error('the connection closed before the end of the body'));
      return;
    }
    source.on('data', onData).on('end', onEnd).on('close', onClose).on('error', onError);
    out.on('drain', onDrain).on('error', onError);
    signal.addEventListener('abort', onAbort);
    source.resume();
  });
  // Flush what was accepted, even after an interruption: those bytes count.
  await new Promise<void>((resolve) => {
    if (out.closed) {
      resolve();
      return;
    }
    out.once('close', () => {
      resolve();
    });
    if (!out.destroyed) out.end();
  });
  return { size: (await fsp.stat(file)).size, failure: failure ?? writeError };
}
