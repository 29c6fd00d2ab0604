import { useState, type SubmitEvent } from 'react';
import { describeError } from '../api/client';
import { field } from '../api/form';
import { auth } from '../api/endpoints';
import type { User } from '../api/types';
import { FormError } from '../layout/FormError';

export function SignInPage({ onDone }: { onDone: (user: User) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const { user } = await auth.login(field(data, 'email'), field(data, 'password'));
      onDone(user);
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={(e) => void submit(e)}>
        <h1>Sign in to PixelUnion</h1>
        <label>
          Email
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <FormError error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <a href="/privacy" className="auth-privacy-link">
          Privacy: where your photos are kept and what is done with them
        </a>
      </form>
    </main>
  );
}
