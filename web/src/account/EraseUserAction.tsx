import { useState, type SubmitEvent } from 'react';
import { describeError } from '../api/client';
import type { User } from '../api/types';
import { Dialog } from '../layout/Dialog';
import { FormError } from '../layout/FormError';
import { CopyField } from '../shares/CopyField';
import { erasure, receiptUrl, type AdminErased } from './api';
import { ReceiptSummary } from './ReceiptSummary';
import './account.css';

/** The admin's "Erase now" for one user: confirmed by typing their email; shows the receipt. */
export function EraseUserAction({ user, onErased }: { user: User; onErased: () => void }) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<AdminErased | null>(null);
  const matches = typed.trim().toLowerCase() === user.email.toLowerCase();

  const close = () => {
    setOpen(false);
    setTyped('');
    setError(null);
    if (done) onErased();
    setDone(null);
  };

  const erase = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setDone(await erasure.eraseUser(user.id, typed));
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        className="secondary danger"
        onClick={() => {
          setOpen(true);
        }}
      >
        Erase now
      </button>
      {open && (
        <Dialog title={`Erase ${user.name}`} onClose={close}>
          {done ? (
            <div className="erase-done">
              <p role="status">
                {done.status === 'erased'
                  ? `${user.email} was erased.`
                  : 'The erasure was interrupted; it finishes in the background.'}{' '}
                Pass this receipt link on to them: it shows what was deleted and when, and is not
                shown again.
              </p>
              <CopyField value={receiptUrl(done.receiptPath)} label="Receipt link" />
              {done.receipt?.deleted && <ReceiptSummary deleted={done.receipt.deleted} />}
              <button type="button" className="primary" onClick={close}>
                Done
              </button>
            </div>
          ) : (
            <form className="stack-form" onSubmit={(e) => void erase(e)}>
              <p>
                This deletes the account at once, with all its photos, videos, albums, share links
                and imports. It cannot be undone.
              </p>
              <label>
                Type {user.email} to confirm
                <input
                  name="confirmEmail"
                  autoComplete="off"
                  value={typed}
                  onChange={(e) => {
                    setTyped(e.target.value);
                  }}
                />
              </label>
              <FormError error={error} />
              <button type="submit" className="danger" disabled={!matches || busy}>
                Erase this account
              </button>
            </form>
          )}
        </Dialog>
      )}
    </>
  );
}
