import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../api/client';
import { Link } from '../layout/router';
import {
  privacyStatement,
  type OptionalProcessing,
  type PrivacyStatement,
  type ProcessingActivity,
} from './api';
import './privacy.css';

type State =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; statement: PrivacyStatement };

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** Where the photos themselves are, in one sentence. */
function photosPlace({ storage }: PrivacyStatement): string {
  if (storage.kind === 'local-folder') return `On this server’s own disk: ${storage.location}.`;
  return `${storage.location}.`;
}

function retentionFacts(s: PrivacyStatement): string[] {
  const r = s.retention;
  return [
    r.trashDays === 0
      ? 'Photos you move to the trash stay there until you empty it or restore them.'
      : `Photos you move to the trash are deleted for good after ${plural(r.trashDays, 'day')}.`,
    'Photos you keep stay until you delete them, or until your account is deleted (by you, or by the administrator of this server).',
    `A new share link stops working after ${plural(r.linkDefaultDays, 'day')}, unless you choose otherwise.`,
    `The log of who opened your share links is kept for ${plural(r.linkLogDays, 'day')}.`,
    `You stay signed in on a device for ${plural(r.sessionDays, 'day')}, or until you sign out.`,
    r.erasureGraceDays === 0
      ? 'When you delete your account, it is erased at once.'
      : `When you delete your account, it is erased ${plural(r.erasureGraceDays, 'day')} later; until then you can change your mind.`,
    `An upload that stopped half-way is kept for ${plural(r.resumableUploadHours, 'hour')} so it can continue, then deleted.`,
    `Failed sign-in attempts are counted for ${plural(r.loginWindowMinutes, 'minute')}, then forgotten.`,
    s.logs.description,
  ];
}

function choiceState(choice: OptionalProcessing): string {
  if (choice.on === true) return 'On on this server';
  if (choice.on === false) return 'Off on this server';
  const who = choice.decidedBy === 'user' ? 'you switch it' : 'its owner switches it';
  return choice.defaultOn ? `On unless ${who} off` : `Off unless ${who} on`;
}

/** Short names of the places the first section describes in full. */
const placeLabels: Record<ProcessingActivity['where'][number]['place'], string> = {
  server: 'This server',
  database: 'The database',
  storage: 'Photo storage',
};

const decidedBy: Record<OptionalProcessing['decidedBy'], string> = {
  user: 'You decide, for your own library',
  'link-owner': 'The owner of each share link decides',
  administrator: 'The administrator of this server decides',
};

/**
 * `/privacy`: what this server does with personal data, from `GET /api/privacy`. Readable without
 * an account, so people can read it before they sign up; everything comes from this server.
 */
export function PrivacyPage() {
  const [state, setState] = useState<State>({ kind: 'loading' });

  const load = useCallback(() => {
    setState({ kind: 'loading' });
    privacyStatement().then(
      (statement) => {
        setState({ kind: 'ready', statement });
      },
      (error: unknown) => {
        setState({ kind: 'error', message: describeError(error) });
      },
    );
  }, []);

  useEffect(() => {
    document.title = 'Privacy · PixelUnion';
    load();
  }, [load]);

  return (
    <div className="privacy-page">
      <header className="privacy-header">
        <span className="brand">PixelUnion</span>
        <span className="spacer" />
        <Link to="/">Back to PixelUnion</Link>
      </header>
      <main className="privacy-main">
        <h1>Privacy on this server</h1>
        {state.kind === 'loading' && <p className="center-message">Loading…</p>}
        {state.kind === 'error' && (
          <div className="center-message" role="alert">
            <p>Could not load this page: {state.message}</p>
            <button type="button" onClick={load}>
              Try again
            </button>
          </div>
        )}
        {state.kind === 'ready' && <Statement statement={state.statement} />}
      </main>
    </div>
  );
}

function Statement({ statement: s }: { statement: PrivacyStatement }) {
  return (
    <>
      <p className="privacy-intro">
        This page is written by the server itself, from the way it is set up right now: it describes
        this server, not PixelUnion servers in general. The person who runs this server (its
        administrator) is responsible for your data.
      </p>

      <section aria-labelledby="privacy-where">
        <h2 id="privacy-where">Where your photos are</h2>
        <dl className="privacy-facts">
          <dt>Your photos and videos</dt>
          <dd data-testid="storage-location">{photosPlace(s)}</dd>
          <dt>Everything else: your account, albums, dates and places</dt>
          <dd>{s.database.description}.</dd>
          <dt>Which country they are in</dt>
          <dd>{s.residency.description}</dd>
          <dt>Connections to other computers</dt>
          <dd>
            {s.outgoingConnections.statement}
            {s.outgoingConnections.destinations.length > 0 && (
              <ul>
                {s.outgoingConnections.destinations.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            )}
          </dd>
        </dl>
      </section>

      <section aria-labelledby="privacy-what">
        <h2 id="privacy-what">What we do with them</h2>
        <p>
          This is every kind of work this server does with information about you. Nothing else runs:
          the server refuses to start work that is not on this list. “Photo storage” and “the
          database” are the places described above; “this server” means its own programs and its own
          disk.
        </p>
        <div
          className="privacy-table-wrap"
          role="region"
          aria-labelledby="privacy-register-caption"
          tabIndex={0}
        >
          <table className="privacy-table">
            <caption id="privacy-register-caption">
              The processing register: what, which information, why, on what legal basis, for how
              long and where
            </caption>
            <thead>
              <tr>
                <th scope="col">What</th>
                <th scope="col">Which information</th>
                <th scope="col">Why</th>
                <th scope="col">Legal basis</th>
                <th scope="col">How long</th>
                <th scope="col">Where</th>
              </tr>
            </thead>
            <tbody>
              {s.register.map((a) => (
                <tr key={a.id} id={`processing-${a.id}`}>
                  <th scope="row">{a.name}</th>
                  <td>
                    <ul>
                      {a.data.map((d) => (
                        <li key={d}>{d}</li>
                      ))}
                    </ul>
                  </td>
                  <td>{a.purpose}</td>
                  <td>
                    <span className="privacy-article">{a.legalBasis.article}</span>{' '}
                    {a.legalBasis.meaning} {a.legalBasis.reason}
                  </td>
                  <td>{a.retention}</td>
                  <td>
                    <ul>
                      {a.where.map((w) => (
                        <li key={w.place} title={w.description}>
                          {placeLabels[w.place]}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="privacy-how-long">
        <h2 id="privacy-how-long">How long we keep things</h2>
        <ul className="privacy-list">
          {retentionFacts(s).map((fact) => (
            <li key={fact}>{fact}</li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="privacy-choices">
        <h2 id="privacy-choices">Choices</h2>
        <ul className="privacy-choices">
          {s.optionalProcessing.map((choice) => (
            <li key={choice.id}>
              <h3>{choice.name}</h3>
              <p>{choice.description}</p>
              <p className="privacy-choice-state">
                <strong>{choiceState(choice)}.</strong> {decidedBy[choice.decidedBy]}
                {choice.changedAt.startsWith('/') ? (
                  <>
                    {' '}
                    on <Link to={choice.changedAt}>{choice.changedAt}</Link>.
                  </>
                ) : (
                  '.'
                )}
              </p>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="privacy-never">
        <h2 id="privacy-never">What we never do</h2>
        <ul className="privacy-list">
          {s.neverDone.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="privacy-rights">
        <h2 id="privacy-rights">Your rights</h2>
        <ul className="privacy-list">
          <li>
            You can see every photo and all the information kept about it in your library at any
            time, and correct dates and descriptions yourself.
          </li>
          <li>
            You can download a copy of everything (your originals and all their information) and
            delete your account, with every photo and every copy of it, on{' '}
            <Link to="/account">your account page</Link>.
          </li>
          <li>
            For anything else (a question, an objection, a complaint), ask the administrator of this
            server. You may also complain to your data protection authority.
          </li>
        </ul>
      </section>

      <p className="privacy-version">PixelUnion {s.serverVersion}</p>
    </>
  );
}
