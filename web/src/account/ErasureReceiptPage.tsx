import { useEffect, useState } from 'react';
import { ApiError, describeError } from '../api/client';
import { erasure, formatDateTime, type ErasureReceipt } from './api';
import { ReceiptSummary } from './ReceiptSummary';
import './account.css';

type State =
  | { kind: 'loading' }
  | { kind: 'missing' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; receipt: ErasureReceipt };

function Body({ receipt }: { receipt: ErasureReceipt }) {
  if (receipt.status === 'scheduled') {
    return (
      <p role="status">
        This account is scheduled to be deleted
        {receipt.dueAt ? ` on ${formatDateTime(receipt.dueAt)}` : ''}. Once it is, this page shows
        what was deleted and when.
      </p>
    );
  }
  return (
    <>
      <p role="status">
        The account was erased on {receipt.erasedAt ? formatDateTime(receipt.erasedAt) : '—'}
        {receipt.erasedBy === 'admin'
          ? ', by an administrator of this server.'
          : `, as its owner asked on ${receipt.requestedAt ? formatDateTime(receipt.requestedAt) : '—'}.`}
      </p>
      {receipt.deleted && <ReceiptSummary deleted={receipt.deleted} />}
      <p className="account-hint">
        Deleted with them: thumbnails, previews and other copies made of the photos, and the
        database rows that described them. This receipt keeps only these counts and dates; nothing
        on the server says whose account it was.
      </p>
    </>
  );
}

/** `/erasure-receipt/<token>`: public, like a share link's page; the token is the only key. */
export function ErasureReceiptPage({ token }: { token: string }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  useEffect(() => {
    erasure.receipt(token).then(
      (receipt) => {
        setState({ kind: 'ready', receipt });
      },
      (err: unknown) => {
        if (err instanceof ApiError && err.status === 404) setState({ kind: 'missing' });
        else setState({ kind: 'error', message: describeError(err) });
      },
    );
  }, [token]);
  return (
    <main className="auth-page">
      <div className="auth-card receipt-card">
        <h1>Account deletion receipt</h1>
        {state.kind === 'loading' && <p>Loading…</p>}
        {state.kind === 'missing' && (
          <p role="alert">
            There is no receipt for this link. Check that the address is complete; a deletion that
            was cancelled has none.
          </p>
        )}
        {state.kind === 'error' && <p role="alert">{state.message}</p>}
        {state.kind === 'ready' && <Body receipt={state.receipt} />}
      </div>
    </main>
  );
}
