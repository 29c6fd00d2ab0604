import { useState, type SubmitEvent } from 'react';
import { describeError } from '../api/client';
import { linkAddress, shares } from '../api/endpoints';
import type { ShareLink } from '../api/types';
import { Dialog } from '../layout/Dialog';
import { Link } from '../layout/router';
import { CopyField } from './CopyField';
import { formatExpiry, LinkOptionsFields, linkOptionsOf, newLinkForm } from './LinkOptionsFields';
import { FormError } from '../layout/FormError';

export type ShareTarget = { albumId: string; title: string } | { assetIds: string[] };

/** Creates a share link to an album or to chosen photos, then shows its address to copy. */
export function ShareDialog({ target, onClose }: { target: ShareTarget; onClose: () => void }) {
  const [form, setForm] = useState(newLinkForm);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<ShareLink | null>(null);
  const forAlbum = 'albumId' in target;
  const what = forAlbum
    ? `“${target.title || 'Untitled album'}”`
    : `${target.assetIds.length} photo${target.assetIds.length === 1 ? '' : 's'}`;

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = linkOptionsOf(form);
    if ('error' in result) {
      setError(result.error);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body = forAlbum
        ? { ...result.options, albumId: target.albumId }
        : { ...result.options, assetIds: target.assetIds, allowUpload: undefined };
      setCreated(await shares.create(body));
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={`Share ${what}`} onClose={onClose} wide>
      {created ? (
        <div className="share-created">
          <p>
            Anyone with this address can open {what}
            {created.hasPassword ? ' after entering the password' : ''}.
          </p>
          <CopyField value={linkAddress(created)} label="Link address" />
          <ul className="link-facts">
            <li>
              {created.expiresAt ? `Expires ${formatExpiry(created.expiresAt)}` : 'Never expires'}
            </li>
            <li>{created.hasPassword ? 'Password protected' : 'No password'}</li>
            {created.maxViews !== null && <li>At most {created.maxViews} views</li>}
            <li>{created.allowDownload ? 'Downloads allowed' : 'No downloads'}</li>
            {created.allowUpload && <li>Uploads allowed</li>}
            <li>
              {created.showMetadata ? 'Shows metadata' : 'Location, camera and file names removed'}
            </li>
          </ul>
          <div className="dialog-actions">
            <Link to="/sharing">Manage your links</Link>
            <span className="spacer" />
            <button type="button" className="primary" onClick={onClose}>
              Done
            </button>
          </div>
        </div>
      ) : (
        <form className="share-form" onSubmit={(e) => void submit(e)}>
          <LinkOptionsFields form={form} onChange={setForm} forAlbum={forAlbum} />
          <FormError error={error} />
          <div className="dialog-actions">
            <span className="spacer" />
            <button type="button" className="secondary" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Creating…' : 'Create link'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
