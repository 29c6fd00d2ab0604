import { useCallback, useEffect, useMemo, useRef, useState, type SubmitEvent } from 'react';
import { ApiError, describeError } from '../api/client';
import { field } from '../api/form';
import type { LinkContent } from '../api/types';
import { DownloadIcon, LockIcon, UploadIcon } from '../layout/icons';
import { formatBytes } from '../timeline/dates';
import { PublicGrid } from './PublicGrid';
import { PublicViewer } from './PublicViewer';
import { downloadZip, linkApi, uploadFile, type UploadOutcome } from './publicApi';
import { FormError } from '../layout/FormError';

type GoneCode = 'LINK_EXPIRED' | 'LINK_REVOKED' | 'LINK_EXHAUSTED' | 'NOT_FOUND';

type State =
  | { kind: 'loading' }
  | { kind: 'password'; error: string | null }
  | { kind: 'gone'; code: GoneCode }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; content: LinkContent };

const gone: Record<GoneCode, { title: string; text: string }> = {
  LINK_EXPIRED: {
    title: 'This link has expired',
    text: 'The person who shared these photos set it to stop working after a while.',
  },
  LINK_REVOKED: {
    title: 'This link was revoked',
    text: 'The person who shared these photos has stopped sharing them through this link.',
  },
  LINK_EXHAUSTED: {
    title: 'This link has reached its view limit',
    text: 'It could be opened only a limited number of times, and that number is used up.',
  },
  NOT_FOUND: {
    title: 'This link does not exist',
    text: 'Check that the address is complete.',
  },
};

const goneCodes = new Set<string>(['LINK_EXPIRED', 'LINK_REVOKED', 'LINK_EXHAUSTED']);

/** How often an open page asks whether its link still works (without counting a view). */
const checkEveryMs = 30_000;

interface UploadItem {
  name: string;
  size: number;
  sent: number;
  outcome: UploadOutcome | null;
}

/** The page a share link opens, `/s/<key>`: no account, no sign-in, nothing from elsewhere. */
export function PublicPage({ linkKey }: { linkKey: string }) {
  const api = useMemo(() => linkApi(linkKey), [linkKey]);
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [openIndex, setOpenIndex] = useState<number | null>(null);
  const [uploads, setUploads] = useState<UploadItem[]>([]);
  const [uploading, setUploading] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const fail = useCallback((error: unknown) => {
    if (error instanceof ApiError) {
      if (error.code === 'PASSWORD_REQUIRED') {
        setState({ kind: 'password', error: null });
        return;
      }
      if (goneCodes.has(error.code)) {
        setState({ kind: 'gone', code: error.code as GoneCode });
        return;
      }
      if (error.status === 404) {
        setState({ kind: 'gone', code: 'NOT_FOUND' });
        return;
      }
    }
    setState({ kind: 'error', message: describeError(error) });
  }, []);

  const load = useCallback(() => {
    api.content().then((content) => {
      setState({ kind: 'ready', content });
    }, fail);
  }, [api, fail]);
  useEffect(load, [load]);

  const content = state.kind === 'ready' ? state.content : null;
  useEffect(() => {
    const previous = document.title;
    if (content) document.title = content.title || 'Shared photos';
    else if (state.kind === 'gone') document.title = gone[state.code].title;
    return () => {
      document.title = previous;
    };
  }, [content, state]);

  // A thumbnail that fails, or a periodic check, asks whether the link still works: a revoked
  // or expired link replaces the page at once.
  const checking = useRef(false);
  const check = useCallback(
    async (assetId: string) => {
      if (checking.current) return;
      checking.current = true;
      try {
        const problem = await api.check(assetId);
        if (!problem) return;
        if (goneCodes.has(problem.code)) {
          setOpenIndex(null);
          setState({ kind: 'gone', code: problem.code as GoneCode });
        } else if (problem.code === 'PASSWORD_REQUIRED') {
          setOpenIndex(null);
          setState({ kind: 'password', error: null });
        }
      } catch {
        // offline for a moment: the next check will tell
      } finally {
        checking.current = false;
      }
    },
    [api],
  );
  const firstId = content?.assets[0]?.id;
  useEffect(() => {
    if (!firstId) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void check(firstId);
    }, checkEveryMs);
    const onVisible = () => {
      if (document.visibilityState === 'visible') void check(firstId);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [firstId, check]);

  // Opening or turning a photo asks too: the browser may show a picture from its memory.
  const openId = openIndex === null ? undefined : content?.assets[openIndex]?.id;
  useEffect(() => {
    if (openId) void check(openId);
  }, [openId, check]);

  const unlock = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const password = field(new FormData(event.currentTarget), 'password');
    try {
      await api.unlock(password);
      setState({ kind: 'loading' });
      load();
    } catch (error) {
      if (error instanceof ApiError && (goneCodes.has(error.code) || error.status === 404)) {
        fail(error);
      } else {
        setState({ kind: 'password', error: describeError(error) });
      }
    }
  };

  const upload = async (files: File[]) => {
    if (files.length === 0) return;
    setUploading(true);
    const items: UploadItem[] = files.map((f) => ({
      name: f.name,
      size: f.size,
      sent: 0,
      outcome: null,
    }));
    setUploads(items);
    const update = (i: number, change: Partial<UploadItem>) => {
      setUploads((list) => list.map((item, j) => (j === i ? { ...item, ...change } : item)));
    };
    for (const [i, file] of files.entries()) {
      const outcome = await uploadFile(api, file, (sent) => {
        update(i, { sent });
      });
      update(i, { outcome, sent: file.size });
    }
    setUploading(false);
    load();
  };

  const openViewer = useCallback((index: number) => {
    setOpenIndex(index);
  }, []);
  const onThumbnailError = useCallback(
    (id: string) => {
      void check(id);
    },
    [check],
  );

  if (state.kind === 'loading') {
    return <p className="center-message">Loading…</p>;
  }
  if (state.kind === 'error') {
    return (
      <div className="center-message" role="alert">
        <p>Could not open this link: {state.message}</p>
        <button
          type="button"
          onClick={() => {
            setState({ kind: 'loading' });
            load();
          }}
        >
          Try again
        </button>
      </div>
    );
  }
  if (state.kind === 'gone') {
    const { title, text } = gone[state.code];
    return (
      <main className="auth-page public-gone">
        <div className="auth-card" role="alert">
          <h1>{title}</h1>
          <p>{text}</p>
          <p>Ask the person who shared it for a new link.</p>
        </div>
      </main>
    );
  }
  if (state.kind === 'password') {
    return (
      <main className="auth-page">
        <form className="auth-card" onSubmit={(e) => void unlock(e)}>
          <h1>
            <LockIcon /> Protected photos
          </h1>
          <p>Enter the password you were given with this link.</p>
          <label>
            Password
            <input name="password" type="password" autoComplete="off" required autoFocus />
          </label>
          <FormError error={state.error} />
          <button type="submit" className="primary">
            Open
          </button>
        </form>
      </main>
    );
  }

  const { content: c } = state;
  const count = c.assets.length;
  const done = uploads.filter((u) => u.outcome).length;
  return (
    <div className="public-page">
      <header className="public-header">
        <span className="brand">PixelUnion</span>
        <div className="public-title">
          <h1>{c.title || 'Shared photos'}</h1>
          <p>
            Shared by {c.ownerName} · {count} item{count === 1 ? '' : 's'}
            {c.expiresAt
              ? ` · available until ${new Date(c.expiresAt).toLocaleDateString(undefined, { dateStyle: 'medium' })}`
              : ''}
          </p>
        </div>
        <span className="spacer" />
        <div className="public-actions">
          {c.allowUpload && (
            <>
              <input
                ref={fileInput}
                type="file"
                multiple
                accept="image/*,video/*"
                hidden
                data-testid="public-upload-input"
                onChange={(e) => {
                  const files = Array.from(e.currentTarget.files ?? []);
                  e.currentTarget.value = '';
                  void upload(files);
                }}
              />
              <button type="button" disabled={uploading} onClick={() => fileInput.current?.click()}>
                <UploadIcon /> Upload
              </button>
            </>
          )}
          {c.allowDownload && count > 0 && (
            <button
              type="button"
              className="primary"
              onClick={() => {
                downloadZip(api);
              }}
            >
              <DownloadIcon /> Download all
            </button>
          )}
        </div>
      </header>
      <main className="public-main">
        {c.description && <p className="public-description">{c.description}</p>}
        {uploads.length > 0 && (
          <section className="public-uploads" aria-label="Uploads">
            <p>
              {uploading
                ? `Uploading ${done + 1} of ${uploads.length}…`
                : `${uploads.filter((u) => u.outcome?.status === 'created').length} added, ${
                    uploads.filter((u) => u.outcome?.status === 'duplicate').length
                  } already there, ${uploads.filter((u) => u.outcome?.status === 'error').length} failed`}
            </p>
            <ul>
              {uploads.map((u, i) => (
                <li key={`${u.name}-${String(i)}`} data-status={u.outcome?.status ?? 'sending'}>
                  <span className="upload-name">{u.name}</span>
                  {u.outcome === null ? (
                    <progress
                      max={u.size || 1}
                      value={u.sent}
                      aria-label={`Progress of ${u.name}`}
                    />
                  ) : (
                    <span className="upload-state">
                      {u.outcome.status === 'created'
                        ? `Added (${formatBytes(u.size)})`
                        : u.outcome.status === 'duplicate'
                          ? 'Already in the album'
                          : (u.outcome.message ?? 'Failed')}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </section>
        )}
        {count === 0 ? (
          <p className="center-message">Nothing is shared here yet.</p>
        ) : (
          <PublicGrid
            assets={c.assets}
            api={api}
            onOpen={openViewer}
            onThumbnailError={onThumbnailError}
          />
        )}
      </main>
      {openIndex !== null && (
        <PublicViewer
          assets={c.assets}
          index={openIndex}
          api={api}
          allowDownload={c.allowDownload}
          onNavigate={setOpenIndex}
          onClose={() => {
            setOpenIndex(null);
          }}
          onError={onThumbnailError}
        />
      )}
    </div>
  );
}
