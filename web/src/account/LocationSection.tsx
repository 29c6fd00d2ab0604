import { useEffect, useState } from 'react';
import { api, describeError } from '../api/client';
import type { User } from '../api/types';
import { useSession } from '../auth/session';
import { FormError } from '../layout/FormError';

/**
 * "Don't keep where my photos were taken": from then on, every new photo or video (uploads,
 * Google Takeout imports, visitors' uploads to this user's albums) is stored without its place.
 * Photos already in the library keep theirs.
 */
export function LocationSection() {
  const { user } = useSession();
  const [strip, setStrip] = useState(user.stripLocation);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // The session's copy is from sign-in; the setting may have changed since (another tab).
  useEffect(() => {
    api.get<User>('/api/users/me').then(
      (me) => {
        setStrip(me.stripLocation);
      },
      (err: unknown) => {
        setError(describeError(err));
      },
    );
  }, []);

  // The box follows the click at once and goes back if the server refuses.
  const change = async (next: boolean) => {
    setStrip(next);
    setBusy(true);
    setError(null);
    try {
      const updated = await api.patch<User>('/api/users/me', { stripLocation: next });
      setStrip(updated.stripLocation);
    } catch (err) {
      setStrip(!next);
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="account-card" aria-labelledby="location-heading">
      <h2 id="location-heading">Where your photos were taken</h2>
      <label className="account-toggle">
        <input
          type="checkbox"
          checked={strip}
          disabled={busy}
          onChange={(event) => void change(event.currentTarget.checked)}
        />
        <span>Don’t keep where my photos were taken</span>
      </label>
      <p className="account-hint">
        {strip
          ? 'New photos and videos are stored without their GPS position or place names: they are removed from the file before it is kept. Photos already here keep theirs.'
          : 'Photos and videos keep the place stored in them by the camera or phone. Share links leave it out unless you choose otherwise.'}
      </p>
      <FormError error={error} />
    </section>
  );
}
