import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { assets } from '../api/endpoints';
import { startTransfer, type Transfer } from './transfer';

export type UploadStatus = 'queued' | 'uploading' | 'created' | 'duplicate' | 'error';

export interface UploadItem {
  key: number;
  name: string;
  size: number;
  sent: number;
  status: UploadStatus;
  message: string | null;
}

interface Uploads {
  items: UploadItem[];
  /** Increases each time a file has been stored or processed: the timeline reloads on it. */
  doneCount: number;
  add: (files: File[]) => void;
  cancel: (key: number) => void;
  clearFinished: () => void;
}

const UploadsContext = createContext<Uploads | null>(null);

export function useUploads(): Uploads {
  const value = useContext(UploadsContext);
  if (!value) throw new Error('useUploads outside UploadProvider');
  return value;
}

export function useUploadsDone(): number {
  return useContext(UploadsContext)?.doneCount ?? 0;
}

const parallel = 3;

export function UploadProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<UploadItem[]>([]);
  const [doneCount, setDoneCount] = useState(0);
  const files = useRef(new Map<number, File>());
  const transfers = useRef(new Map<number, Transfer>());
  const queue = useRef<number[]>([]);
  const nextKey = useRef(1);
  const [processing, setProcessing] = useState<string[]>([]);

  // A new asset is dated and measured by a background job: look again until it is processed,
  // so that it moves to the month it was taken in and gets its thumbnail.
  useEffect(() => {
    if (processing.length === 0) return;
    const timer = setTimeout(() => {
      const batch = processing.slice(0, 8);
      void Promise.all(
        batch.map((id) =>
          assets.get(id).then(
            (a) => (a.status === 'processing' ? null : id),
            () => id,
          ),
        ),
      ).then((results) => {
        const finished = new Set(results.filter((id) => id !== null));
        setProcessing((old) => old.filter((id) => !finished.has(id)));
        if (finished.size > 0) setDoneCount((n) => n + 1);
      });
    }, 1500);
    return () => {
      clearTimeout(timer);
    };
  }, [processing]);

  const update = useCallback((key: number, change: Partial<UploadItem>) => {
    setItems((old) => old.map((item) => (item.key === key ? { ...item, ...change } : item)));
  }, []);

  const pump = useCallback(() => {
    while (transfers.current.size < parallel && queue.current.length > 0) {
      const key = queue.current.shift();
      const file = key === undefined ? undefined : files.current.get(key);
      if (key === undefined || !file) continue;
      const finish = (change: Partial<UploadItem>) => {
        transfers.current.delete(key);
        files.current.delete(key);
        update(key, change);
        pump();
      };
      update(key, { status: 'uploading' });
      transfers.current.set(
        key,
        startTransfer(file, {
          onProgress(sent) {
            update(key, { sent });
          },
          onDone({ duplicate, assetId }) {
            if (!duplicate && assetId) setProcessing((old) => [...old, assetId]);
            finish({
              status: duplicate ? 'duplicate' : 'created',
              sent: file.size,
              message: duplicate ? 'Already in your library' : null,
            });
            setDoneCount((n) => n + 1);
          },
          onError(message) {
            finish({ status: 'error', message });
          },
        }),
      );
    }
  }, [update]);

  const add = useCallback(
    (list: File[]) => {
      const added: UploadItem[] = list.map((file) => {
        const key = nextKey.current++;
        files.current.set(key, file);
        queue.current.push(key);
        return { key, name: file.name, size: file.size, sent: 0, status: 'queued', message: null };
      });
      setItems((old) => [...old, ...added]);
      pump();
    },
    [pump],
  );

  const cancel = useCallback(
    (key: number) => {
      transfers.current.get(key)?.abort();
      transfers.current.delete(key);
      files.current.delete(key);
      queue.current = queue.current.filter((k) => k !== key);
      update(key, { status: 'error', message: 'Cancelled' });
      pump();
    },
    [pump, update],
  );

  const clearFinished = useCallback(() => {
    setItems((old) => old.filter((i) => i.status === 'queued' || i.status === 'uploading'));
  }, []);

  const value = useMemo(
    () => ({ items, doneCount, add, cancel, clearFinished }),
    [items, doneCount, add, cancel, clearFinished],
  );
  return <UploadsContext value={value}>{children}</UploadsContext>;
}
