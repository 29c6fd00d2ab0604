import { useCallback, useEffect, useRef, useState } from 'react';
import type { Transfer } from '../upload/transfer';
import type { TakeoutImport } from './api';
import type { PartRow } from './PartList';
import { startPartTransfer } from './partTransfer';

const keyOf = (file: File) => `${file.name}\u0000${file.size}\u0000${file.lastModified}`;

/** Parts are sent one after the other: each one is whole sooner, and resumes on its own. */
const parallel = 1;

export interface PartUploads {
  rows: PartRow[];
  /** Some part is waiting or being sent. */
  uploading: boolean;
  /** Queues the archives that the import does not hold yet (a part already there is listed). */
  add: (target: TakeoutImport, archives: File[]) => void;
  canRetry: (key: string) => boolean;
  retry: (key: string) => void;
  /** Stops every upload in progress and forgets the chosen files. */
  stop: () => void;
  /** Forgets the rows and files (another import is shown). */
  clear: () => void;
}

/**
 * The upload of an import's parts (resumable, tus): one part at a time, each with its progress.
 * Leaving the page stops them (choosing the same files again continues each where it stopped);
 * closing the tab while one is sent asks first.
 */
export function usePartUploads(
  importId: () => string | undefined,
  onUploaded: (importId: string) => void,
): PartUploads {
  const [rows, setRowsState] = useState<PartRow[]>([]);
  // The upload callbacks and the pump read these between renders.
  const rowsRef = useRef<PartRow[]>([]);
  const files = useRef(new Map<string, File>());
  const transfers = useRef(new Map<string, Transfer>());
  const queue = useRef<string[]>([]);
  const callbacks = useRef({ importId, onUploaded });
  callbacks.current = { importId, onUploaded };

  const setRows = useCallback((change: (old: PartRow[]) => PartRow[]) => {
    rowsRef.current = change(rowsRef.current);
    setRowsState(rowsRef.current);
  }, []);
  const updateRow = useCallback(
    (key: string, change: Partial<PartRow>) => {
      setRows((old) => old.map((row) => (row.key === key ? { ...row, ...change } : row)));
    },
    [setRows],
  );

  const stop = useCallback(() => {
    for (const transfer of transfers.current.values()) transfer.abort();
    transfers.current.clear();
    queue.current = [];
    files.current.clear();
  }, []);
  useEffect(() => stop, [stop]);

  const uploading = rows.some((r) => r.state === 'waiting' || r.state === 'uploading');
  useEffect(() => {
    if (!uploading) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => {
      window.removeEventListener('beforeunload', warn);
    };
  }, [uploading]);

  const pump = useCallback(() => {
    const id = callbacks.current.importId();
    if (!id) return;
    while (transfers.current.size < parallel && queue.current.length > 0) {
      const key = queue.current.shift();
      const file = key === undefined ? undefined : files.current.get(key);
      if (key === undefined || !file) continue;
      const finish = (change: Partial<PartRow>) => {
        transfers.current.delete(key);
        updateRow(key, change);
        pump();
      };
      updateRow(key, { state: 'uploading', message: null });
      transfers.current.set(
        key,
        startPartTransfer(file, id, {
          onProgress(sent) {
            updateRow(key, { sent });
          },
          onDone() {
            files.current.delete(key);
            finish({ state: 'uploaded', sent: file.size });
            callbacks.current.onUploaded(id);
          },
          onError(message) {
            finish({ state: 'failed', message });
          },
        }),
      );
    }
  }, [updateRow]);

  const add = useCallback(
    (target: TakeoutImport, archives: File[]) => {
      const added: PartRow[] = [];
      for (const file of [...archives].sort((a, b) => a.name.localeCompare(b.name))) {
        const key = keyOf(file);
        const row = rowsRef.current.find((r) => r.key === key);
        if (row && row.state !== 'failed') continue;
        const earlier = target.parts.some((p) => p.fileName === file.name && p.size === file.size);
        if (earlier) {
          if (!row) {
            added.push({
              key,
              name: file.name,
              size: file.size,
              sent: file.size,
              state: 'uploaded',
              message: 'Uploaded earlier',
            });
          }
          continue;
        }
        files.current.set(key, file);
        queue.current.push(key);
        if (row) updateRow(key, { state: 'waiting', message: null });
        else {
          added.push({
            key,
            name: file.name,
            size: file.size,
            sent: 0,
            state: 'waiting',
            message: null,
          });
        }
      }
      setRows((old) => [...old, ...added]);
      pump();
    },
    [pump, setRows, updateRow],
  );

  const retry = useCallback(
    (key: string) => {
      if (!files.current.has(key)) return;
      queue.current.push(key);
      updateRow(key, { state: 'waiting', message: null });
      pump();
    },
    [pump, updateRow],
  );

  const clear = useCallback(() => {
    setRows(() => []);
    files.current.clear();
  }, [setRows]);

  const canRetry = useCallback((key: string) => files.current.has(key), []);

  return { rows, uploading, add, canRetry, retry, stop, clear };
}
