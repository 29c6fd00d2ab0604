import { useState, type SubmitEvent } from 'react';
import { describeError } from '../api/client';
import { field } from '../api/form';
import { auth } from '../api/endpoints';
import type { User } from '../api/types';
import { FormError } from '../layout/FormError';

export function SetupPage({ onDone }: { onDone: (user: User) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const email = field(data, 'email');
    const password = field(data, 'password');
    const name = field(data, 'name');
    setBusy(true);
    setError(null);
    try {
      await auth.setup({ email, password, name });
      // Setup creates the account without a session: sign in with what was just typed.
      const { user } = await auth.login(email, password);
      onDone(user);
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={(e) => void submit(e)}>
        <h1>Welcome to PixelUnion</h1>
        <p>Create the administrator account of this library.</p>
        <label>
          Name
          <input name="name" autoComplete="name" required />
        </label>
        <label>
          Email
          <input name="email" type="email" autoComplete="email" required />
        </label>
        <label>
          Password (at least 8 characters)
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            minLength={8}
            required
          />
        </label>
        <FormError error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
        <a href="/privacy" className="auth-privacy-link">
          Privacy: where your photos are kept and what is done with them
        </a>
      </form>
    </main>
  );
}
