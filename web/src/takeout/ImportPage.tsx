import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from '../api/client';
import { FormError } from '../layout/FormError';
import { Shell } from '../layout/Shell';
import { isFinished, isRunning, takeout, type TakeoutImport, type TakeoutReport } from './api';
import { ImportChoice } from './ImportChoice';
import { ImportProgress } from './ImportProgress';
import { ImportReport } from './ImportReport';
import { PartList } from './PartList';
import { PartPicker, useArchiveDrop } from './PartPicker';
import { PastImports } from './PastImports';
import { usePartUploads } from './usePartUploads';
import { plural } from './words';
import './takeout.css';

const pollMs = 1000;

/**
 * Import from Google Photos or from a PixelUnion export: the parts of the export are uploaded
 * (resumably), the server imports them in the background, and the page follows it to the end and
 * shows the report.
 */
export function ImportPage() {
  const [imports, setImports] = useState<TakeoutImport[] | null>(null);
  const [current, setCurrentState] = useState<TakeoutImport | null>(null);
  const [report, setReport] = useState<TakeoutReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [pollError, setPollError] = useState<string | null>(null);
  const [reportError, setReportError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [pollRetry, setPollRetry] = useState(0);
  const [source, setSource] = useState<TakeoutImport['source']>('google-takeout');

  // The drop handler and the upload callbacks read it between renders.
  const currentRef = useRef<TakeoutImport | null>(null);

  const setCurrent = useCallback((next: TakeoutImport | null) => {
    currentRef.current = next;
    setCurrentState(next);
    if (next) setSource(next.source);
  }, []);
  const loadList = useCallback(async () => {
    try {
      const list = await takeout.list();
      setImports(list);
      setListError(null);
      return list;
    } catch (err) {
      setListError(describeError(err));
      return null;
    }
  }, []);

  /** The import as the server has it now (after a part arrived, or to follow its progress). */
  const refresh = useCallback(
    async (id: string) => {
      const fresh = await takeout.get(id);
      if (currentRef.current?.id === id) setCurrent(fresh);
      return fresh;
    },
    [setCurrent],
  );

  // First: the newest import the user has not finished is the one this page continues.
  useEffect(() => {
    void loadList().then((list) => {
      const newest = list?.[0];
      if (newest && !isFinished(newest.status) && currentRef.current === null) {
        setCurrent(newest);
      }
    });
  }, [loadList, setCurrent]);

  const partUploads = usePartUploads(
    () => currentRef.current?.id,
    (id) => {
      refresh(id).catch((err: unknown) => {
        setError(describeError(err));
      });
    },
  );
  const { rows, uploading, add: addParts, clear: clearParts } = partUploads;

  /** Chosen or dropped files: into the open import, or a new one. */
  const addFiles = useCallback(
    async (list: File[]) => {
      setError(null);
      const archives = list.filter((f) => /\.(zip|tgz|gz|tar)$/i.test(f.name));
      const others = list.filter((f) => !archives.includes(f));
      if (others.length > 0) {
        setError(
          `${others.map((f) => f.name).join(', ')}: not a Takeout archive (.zip or .tgz). ` +
            'Photos and videos go through the Upload button.',
        );
      }
      if (archives.length === 0) return;
      let target = currentRef.current;
      if (target?.status !== 'uploading') {
        setBusy('Creating the import…');
        try {
          target = await takeout.create(source);
        } catch (err) {
          setError(`Could not create the import: ${describeError(err)}`);
          return;
        } finally {
          setBusy(null);
        }
        setCurrent(target);
        setReport(null);
        clearParts();
        void loadList();
      }
      addParts(target, archives);
    },
    [loadList, setCurrent, addParts, clearParts, source],
  );

  const start = async () => {
    if (!current) return;
    const missing = rows.filter((r) => r.state === 'failed').length;
    if (
      missing > 0 &&
      !window.confirm(
        `${plural(missing, 'part was', 'parts were')} not uploaded. Start the import without ${missing === 1 ? 'it' : 'them'}? No part can be added once it has started.`,
      )
    ) {
      return;
    }
    setError(null);
    setBusy('Starting…');
    try {
      setCurrent(await takeout.start(current.id));
      void loadList();
    } catch (err) {
      setError(`Could not start the import: ${describeError(err)}`);
    } finally {
      setBusy(null);
    }
  };

  const cancel = async () => {
    if (!current) return;
    const running = isRunning(current.status);
    const question = running
      ? 'Stop this import? What it has imported so far stays in your library.'
      : 'Cancel this import? The parts uploaded so far are deleted from the server.';
    if (!window.confirm(question)) return;
    partUploads.stop();
    setError(null);
    setBusy('Cancelling…');
    try {
      setCurrent(await takeout.cancel(current.id));
      clearParts();
      void loadList();
    } catch (err) {
      setError(`Could not cancel the import: ${describeError(err)}`);
    } finally {
      setBusy(null);
    }
  };

  const show = (item: TakeoutImport) => {
    setError(null);
    setReport(null);
    setReportError(null);
    clearParts();
    setCurrent(item);
  };

  // Following a running import: its progress once a second until it ends.
  const currentId = current?.id;
  const currentStatus = current?.status;
  useEffect(() => {
    if (!currentId || !currentStatus || !isRunning(currentStatus)) return;
    const timer = setTimeout(() => {
      refresh(currentId).then(
        (fresh) => {
          setPollError(null);
          if (isFinished(fresh.status)) void loadList();
          // The same state again still needs the next look.
          if (fresh.status === currentStatus) setPollRetry((n) => n + 1);
        },
        (err: unknown) => {
          setPollError(`Lost contact with the server (${describeError(err)}); trying again.`);
          setPollRetry((n) => n + 1);
        },
      );
    }, pollMs);
    return () => {
      clearTimeout(timer);
    };
  }, [currentId, currentStatus, pollRetry, refresh, loadList]);

  // The report, once the import has ended.
  useEffect(() => {
    if (!currentId || (currentStatus !== 'done' && currentStatus !== 'failed')) return;
    let stale = false;
    setReportError(null);
    takeout.report(currentId).then(
      (r) => {
        if (!stale) setReport(r);
      },
      (err: unknown) => {
        if (!stale) setReportError(`Could not load the report: ${describeError(err)}`);
      },
    );
    return () => {
      stale = true;
    };
  }, [currentId, currentStatus]);

  const open = current?.status === 'uploading';
  const accepting = imports !== null && !busy && (!current || !isRunning(current.status));
  const pick = useCallback(
    (list: File[]) => {
      void addFiles(list);
    },
    [addFiles],
  );
  const dragging = useArchiveDrop(pick, accepting);
  const past = (imports ?? []).filter((i) => i.id !== current?.id);
  const earlierParts = open
    ? current.parts.filter((p) => !rows.some((r) => r.name === p.fileName && r.size === p.size))
    : [];
  const total = rows.reduce((sum, r) => sum + r.size, 0);
  const sent = rows.reduce((sum, r) => sum + Math.min(r.sent, r.size), 0);
  const failedRows = rows.filter((r) => r.state === 'failed').length;
  const canStart = open && !uploading && !busy && current.parts.length > 0;

  return (
    <Shell title="Import">
      <div className="page takeout-page">
        <ImportChoice source={source} disabled={uploading || Boolean(busy)} onChange={setSource} />
        <FormError error={error} />
        {busy && (
          <p className="page-status" role="status">
            {busy}
          </p>
        )}
        {imports === null && !listError && <p role="status">Loading your imports…</p>}
        <FormError error={listError ? `Could not load your imports: ${listError}` : null} />

        {accepting && (!current || open) && (
          <PartPicker
            title={open && current.parts.length > 0 ? 'Add parts' : 'Choose the parts'}
            dragging={dragging}
            onFiles={pick}
          />
        )}

        {open && (
          <section className="takeout-card" aria-labelledby="takeout-upload-title">
            <h3 id="takeout-upload-title">Upload</h3>
            {rows.length === 0 && current.parts.length === 0 && (
              <p className="takeout-hint">No parts yet: choose the files of your export above.</p>
            )}
            {earlierParts.length > 0 && rows.length === 0 && (
              <p className="takeout-hint">
                {plural(earlierParts.length, 'part was', 'parts were')} uploaded earlier. If the
                upload of a part stopped, choose all the files again: each one continues where it
                stopped.
              </p>
            )}
            <PartList
              earlierParts={earlierParts}
              rows={rows}
              uploading={uploading}
              sent={sent}
              total={total}
              failedRows={failedRows}
              canRetry={partUploads.canRetry}
              onRetry={partUploads.retry}
            />
            <div className="takeout-actions">
              <button
                type="button"
                className="primary"
                disabled={!canStart}
                onClick={() => void start()}
              >
                Start import
              </button>
              <button
                type="button"
                className="secondary"
                disabled={Boolean(busy)}
                onClick={() => void cancel()}
              >
                Cancel import
              </button>
            </div>
            <p className="takeout-hint">
              {uploading
                ? 'Start the import once every part is uploaded.'
                : current.parts.length > 0
                  ? 'Missing a part? Add it now: once the import starts, no more parts can join it.'
                  : ''}
            </p>
          </section>
        )}

        {current && !open && (
          <>
            <ImportProgress item={current} />
            <FormError error={pollError} />
            {isRunning(current.status) && (
              <div className="takeout-actions">
                <p className="takeout-hint">
                  The import runs on the server: you can leave this page and come back.
                </p>
                <button
                  type="button"
                  className="secondary"
                  disabled={Boolean(busy)}
                  onClick={() => void cancel()}
                >
                  Stop import
                </button>
              </div>
            )}
            <FormError error={reportError} />
            {(current.status === 'done' || current.status === 'failed') &&
              !report &&
              !reportError && <p role="status">Loading the report…</p>}
            {report && report.import.id === current.id && (
              <ImportReport item={current} report={report} />
            )}
            {accepting && isFinished(current.status) && (
              <PartPicker title="Import another export" dragging={dragging} onFiles={pick} />
            )}
          </>
        )}

        <PastImports past={past} disabled={uploading || Boolean(busy)} onShow={show} />
        {imports?.length === 0 && !current && (
          <p className="takeout-hint">
            {source === 'pixelunion'
              ? 'You have not imported anything yet.'
              : 'You have not imported anything from Google Photos yet.'}
          </p>
        )}
      </div>
    </Shell>
  );
}
