import { useEffect, useState, type SubmitEvent } from 'react';
import { describeError } from '../api/client';
import { albums, linkAddress, shares } from '../api/endpoints';
import type { LinkEvent, LinkStatus, LinkUse, ShareLink } from '../api/types';
import { Dialog } from '../layout/Dialog';
import { Link } from '../layout/router';
import { Shell } from '../layout/Shell';
import { copyText } from './CopyField';
import { editLinkForm, formatExpiry, LinkOptionsFields, linkOptionsOf } from './LinkOptionsFields';
import { FormError } from '../layout/FormError';

const statusText: Record<LinkStatus, string> = {
  active: 'Active',
  expired: 'Expired',
  revoked: 'Revoked',
  exhausted: 'View limit reached',
};

const eventText: Record<LinkEvent['kind'], string> = {
  view: 'View',
  download: 'Download',
  upload: 'Upload',
  password_failed: 'Wrong password',
};

const when = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** All the owner's share links: copy, edit, revoke, and see their use. */
export function LinksPage() {
  const [links, setLinks] = useState<ShareLink[] | null>(null);
  const [titles, setTitles] = useState<Map<string, string>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [editing, setEditing] = useState<ShareLink | null>(null);
  const [activity, setActivity] = useState<ShareLink | null>(null);

  const load = () => {
    shares.list().then(setLinks, (err: unknown) => {
      setError(describeError(err));
    });
  };
  useEffect(() => {
    load();
    albums.list().then(
      (list) => {
        setTitles(new Map(list.map((a) => [a.id, a.title])));
      },
      () => undefined,
    );
  }, []);

  const nameOf = (link: ShareLink) =>
    link.label ?? (link.albumId ? titleOf(link) : 'Untitled link');
  const titleOf = (link: ShareLink) =>
    link.albumId ? `“${titles.get(link.albumId) || 'Untitled album'}”` : '';
  const whatOf = (link: ShareLink) =>
    link.albumId
      ? `Album ${titleOf(link)}`
      : `${link.assetIds.length} photo${link.assetIds.length === 1 ? '' : 's'}`;

  const copy = async (link: ShareLink) => {
    const ok = await copyText(linkAddress(link));
    setMessage(ok ? `Copied ${linkAddress(link)}` : `Copy this address: ${linkAddress(link)}`);
  };

  const revoke = async (link: ShareLink) => {
    if (
      !window.confirm(
        `Revoke the link “${nameOf(link)}”? It stops working at once, for everyone, for good.`,
      )
    ) {
      return;
    }
    try {
      await shares.revoke(link.id);
      setMessage(`Revoked “${nameOf(link)}”.`);
      load();
    } catch (err) {
      setError(describeError(err));
    }
  };

  const sorted = links
    ? [...links].sort(
        (a, b) =>
          Number(a.status !== 'active') - Number(b.status !== 'active') ||
          b.createdAt.localeCompare(a.createdAt),
      )
    : null;

  return (
    <Shell title="Sharing">
      <div className="page">
        <p className="page-intro">
          Links you made to albums and photos. Create one from an album page, or select photos and
          choose “Share link”.
        </p>
        <FormError error={error} />
        {message && (
          <p className="page-status" role="status">
            {message}
          </p>
        )}
        {sorted === null && !error && <p>Loading links…</p>}
        {sorted?.length === 0 && <p>You have not shared any links yet.</p>}
        {sorted && sorted.length > 0 && (
          <ul className="link-list" aria-label="Share links">
            {sorted.map((link) => (
              <li
                key={link.id}
                className={`link-card ${link.status}`}
                aria-label={`Link ${nameOf(link)}`}
              >
                <div className="link-card-head">
                  <strong className="link-name">{nameOf(link)}</strong>
                  <span className={`link-status ${link.status}`}>{statusText[link.status]}</span>
                </div>
                <dl className="link-details">
                  <div>
                    <dt>Shares</dt>
                    <dd>
                      {link.albumId ? (
                        <Link to={`/albums/${link.albumId}`}>{whatOf(link)}</Link>
                      ) : (
                        whatOf(link)
                      )}
                    </dd>
                  </div>
                  <div>
                    <dt>Expires</dt>
                    <dd>{link.expiresAt ? formatExpiry(link.expiresAt) : 'Never'}</dd>
                  </div>
                  <div>
                    <dt>Views</dt>
                    <dd>
                      {link.viewCount}
                      {link.maxViews !== null ? (
                        ` / ${link.maxViews}`
                      ) : (
                        <small className="link-hint"> (no limit)</small>
                      )}
                    </dd>
                  </div>
                  <div>
                    <dt>Password</dt>
                    <dd>{link.hasPassword ? 'Yes' : 'No'}</dd>
                  </div>
                  <div>
                    <dt>Options</dt>
                    <dd>
                      {[
                        link.allowDownload ? 'download' : null,
                        link.allowUpload ? 'upload' : null,
                        link.showMetadata ? 'metadata shown' : null,
                      ]
                        .filter((x) => x)
                        .join(', ') || 'view only'}
                    </dd>
                  </div>
                </dl>
                <div className="link-actions">
                  {link.status !== 'revoked' && (
                    <button type="button" onClick={() => void copy(link)}>
                      Copy link
                    </button>
                  )}
                  {link.status !== 'revoked' && (
                    <button
                      type="button"
                      onClick={() => {
                        setEditing(link);
                      }}
                    >
                      Edit
                    </button>
                  )}
                  <button
                    type="button"
                    onClick={() => {
                      setActivity(link);
                    }}
                  >
                    Activity
                  </button>
                  {link.status !== 'revoked' && (
                    <button type="button" className="danger" onClick={() => void revoke(link)}>
                      Revoke
                    </button>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </div>
      {editing && (
        <EditLinkDialog
          link={editing}
          name={nameOf(editing)}
          onClose={(changed) => {
            setEditing(null);
            if (changed) {
              setMessage(`Saved “${nameOf(changed)}”.`);
              load();
            }
          }}
        />
      )}
      {activity && (
        <ActivityDialog
          link={activity}
          name={nameOf(activity)}
          onClose={() => {
            setActivity(null);
          }}
        />
      )}
    </Shell>
  );
}

function EditLinkDialog({
  link,
  name,
  onClose,
}: {
  link: ShareLink;
  name: string;
  onClose: (changed: ShareLink | null) => void;
}) {
  const [form, setForm] = useState(() => editLinkForm(link));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = linkOptionsOf(form, link);
    if ('error' in result) {
      setError(result.error);
      return;
    }
    if (Object.keys(result.options).length === 0) {
      onClose(null);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onClose(await shares.update(link.id, result.options));
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={`Edit link “${name}”`}
      onClose={() => {
        onClose(null);
      }}
      wide
    >
      <form className="share-form" onSubmit={(e) => void submit(e)}>
        <LinkOptionsFields
          form={form}
          onChange={setForm}
          forAlbum={link.albumId !== null}
          original={link}
        />
        <FormError error={error} />
        <div className="dialog-actions">
          <span className="spacer" />
          <button
            type="button"
            className="secondary"
            onClick={() => {
              onClose(null);
            }}
          >
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Save
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function ActivityDialog({
  link,
  name,
  onClose,
}: {
  link: ShareLink;
  name: string;
  onClose: () => void;
}) {
  const [use, setUse] = useState<LinkUse | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    shares.use(link.id).then(setUse, (err: unknown) => {
      setError(describeError(err));
    });
  }, [link.id]);
  return (
    <Dialog title={`Activity of “${name}”`} onClose={onClose} wide>
      <FormError error={error} />
      {!use && !error && <p>Loading…</p>}
      {use && (
        <>
          <p className="link-use-counts">
            {use.views} view{use.views === 1 ? '' : 's'} · {use.downloads} download
            {use.downloads === 1 ? '' : 's'} · {use.uploads} upload{use.uploads === 1 ? '' : 's'}
            {use.passwordFailures > 0
              ? ` · ${use.passwordFailures} wrong password${use.passwordFailures === 1 ? '' : 's'}`
              : ''}
          </p>
          {use.events.length === 0 ? (
            <p>Nobody has used this link yet.</p>
          ) : (
            <div className="link-events-wrap">
              <table className="link-events">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">What</th>
                    <th scope="col">Client</th>
                  </tr>
                </thead>
                <tbody>
                  {use.events.map((e, i) => (
                    <tr key={`${e.at}-${String(i)}`}>
                      <td>{when(e.at)}</td>
                      <td>{eventText[e.kind]}</td>
                      <td>{e.client}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </Dialog>
  );
}
