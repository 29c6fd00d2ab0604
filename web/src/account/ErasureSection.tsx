import { useEffect, useState, type SubmitEvent } from 'react';
import { describeError } from '../api/client';
import { field } from '../api/form';
import { useSession } from '../auth/session';
import { FormError } from '../layout/FormError';
import { CopyField } from '../shares/CopyField';
import { erasure, formatDateTime, receiptUrl, type ErasureStatus } from './api';

/**
 * The receipt's address is shown once by the server (only its hash is kept there); this browser
 * keeps it so the page can show it again until the erasure is cancelled.
 */
const receiptKey = (userId: string) => `pixelunion:erasure-receipt:${userId}`;

function storedReceipt(userId: string): string | null {
  try {
    return window.localStorage.getItem(receiptKey(userId));
  } catch {
    return null;
  }
}

function storeReceipt(userId: string, path: string | null): void {
  try {
    if (path === null) window.localStorage.removeItem(receiptKey(userId));
    else window.localStorage.setItem(receiptKey(userId), path);
  } catch {
    // storage refused (private mode): the address was shown once
  }
}

const days = (n: number) => (n === 1 ? '1 day' : `${n} days`);

/** "Delete my account": ask with the password, see the date and the receipt, cancel. */
export function ErasureSection() {
  const { user } = useSession();
  const [status, setStatus] = useState<ErasureStatus | null>(null);
  const [receiptPath, setReceiptPath] = useState<string | null>(() => storedReceipt(user.id));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    erasure.status().then(setStatus, (err: unknown) => {
      setError(describeError(err));
    });
  }, []);

  const request = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const password = field(new FormData(event.currentTarget), 'password');
    setError(null);
    setBusy(true);
    try {
      const requested = await erasure.request(password);
      if (requested.status === 'erased') {
        // The account is gone, and the session with it: the receipt's public page is next.
        storeReceipt(user.id, null);
        window.location.assign(requested.receiptPath);
        return;
      }
      storeReceipt(user.id, requested.receiptPath);
      setReceiptPath(requested.receiptPath);
      setStatus(await erasure.status());
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const cancel = async () => {
    setError(null);
    setBusy(true);
    try {
      setStatus(await erasure.cancel());
      storeReceipt(user.id, null);
      setReceiptPath(null);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="account-card" aria-labelledby="erasure-heading">
      <h2 id="erasure-heading">Delete my account</h2>
      {!status && !error && <p>Loading…</p>}
      {status?.scheduled && status.dueAt && (
        <>
          <p role="status">
            Your account will be deleted on{' '}
            <time dateTime={status.dueAt} data-testid="erasure-due">
              {formatDateTime(status.dueAt)}
            </time>
            . Until then you can change your mind: cancel here, or simply sign in again.
          </p>
          {receiptPath ? (
            <div className="account-receipt">
              <p>
                Keep this receipt link. After the deletion it shows what was deleted and when, and
                nothing else: the server does not know whose receipt it is.
              </p>
              <CopyField value={receiptUrl(receiptPath)} label="Receipt link" />
            </div>
          ) : (
            <p className="account-hint">
              The receipt link was shown when you asked; keep it to see what was deleted.
            </p>
          )}
          <button type="button" className="primary" disabled={busy} onClick={() => void cancel()}>
            Cancel the deletion
          </button>
        </>
      )}
      {status && !status.scheduled && (
        <>
          {status.cancelledBySignIn && status.requestedAt && (
            <div className="account-notice" role="status">
              <p>
                You asked on {formatDateTime(status.requestedAt)} to delete your account; signing in
                again cancelled it. Your account and photos are kept.
              </p>
              <button
                type="button"
                className="secondary"
                disabled={busy}
                onClick={() => void cancel()}
              >
                Dismiss
              </button>
            </div>
          )}
          <p>
            Deleting your account erases everything of yours on this server: the originals of your
            photos and videos with their thumbnails and previews, your albums and share links (and
            their logs), your imports, unfinished uploads, sessions and API keys. Photos you added
            to other people’s albums leave them; their own photos stay.
          </p>
          <p>
            {status.graceDays > 0
              ? `It happens ${days(status.graceDays)} after you ask. Until then, signing in again or the Cancel button cancels it. Your other sessions and API keys end as soon as you ask.`
              : 'It happens at once and cannot be undone.'}{' '}
            You get a receipt link that shows what was deleted and when.
          </p>
          <form className="stack-form" onSubmit={(e) => void request(e)}>
            <label>
              Your password, to confirm
              <input name="password" type="password" required autoComplete="current-password" />
            </label>
            <button type="submit" className="danger" disabled={busy}>
              Delete my account
            </button>
          </form>
        </>
      )}
      <FormError error={error} />
    </section>
  );
}
