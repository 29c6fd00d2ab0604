import { useEffect, useState, type ReactNode } from 'react';
import { describeError, sessionEndedEvent } from '../api/client';
import { auth } from '../api/endpoints';
import type { User } from '../api/types';
import { SessionContext } from './session';
import { SignInPage } from './SignInPage';
import { SetupPage } from './SetupPage';

type State =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'setup' }
  | { kind: 'signIn' }
  | { kind: 'signedIn'; user: User };

/** Shows the first-run page, the sign-in page or the app, depending on the session. */
export function AuthGate({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ kind: 'loading' });

  const check = async () => {
    try {
      const user = await auth.me();
      if (user) setState({ kind: 'signedIn', user });
      else setState({ kind: (await auth.needsSetup()) ? 'setup' : 'signIn' });
    } catch (error) {
      setState({ kind: 'error', message: describeError(error) });
    }
  };

  useEffect(() => {
    void check();
    const onEnded = () => {
      setState({ kind: 'signIn' });
    };
    window.addEventListener(sessionEndedEvent, onEnded);
    return () => {
      window.removeEventListener(sessionEndedEvent, onEnded);
    };
  }, []);

  const signOut = () => {
    void auth
      .logout()
      .catch(() => undefined)
      .then(() => {
        setState({ kind: 'signIn' });
      });
  };

  switch (state.kind) {
    case 'loading':
      return <p className="center-message">Loading…</p>;
    case 'error':
      return (
        <div className="center-message" role="alert">
          <p>Could not reach PixelUnion: {state.message}</p>
          <button type="button" onClick={() => void check()}>
            Try again
          </button>
        </div>
      );
    case 'setup':
      return (
        <SetupPage
          onDone={(user) => {
            setState({ kind: 'signedIn', user });
          }}
        />
      );
    case 'signIn':
      return (
        <SignInPage
          onDone={(user) => {
            setState({ kind: 'signedIn', user });
          }}
        />
      );
    case 'signedIn':
      return <SessionContext value={{ user: state.user, signOut }}>{children}</SessionContext>;
  }
}
