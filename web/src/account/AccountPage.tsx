import type { ComponentType } from 'react';
import { useSession } from '../auth/session';
import { Shell } from '../layout/Shell';
import { ErasureSection } from './ErasureSection';
import { LocationSection } from './LocationSection';
import { ExportSection } from '../export/ExportSection';
import './account.css';

/** Who is signed in. */
function ProfileSection() {
  const { user } = useSession();
  return (
    <section className="account-card" aria-labelledby="profile-heading">
      <h2 id="profile-heading">Profile</h2>
      <dl className="account-facts">
        <dt>Name</dt>
        <dd>{user.name}</dd>
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Role</dt>
        <dd>{user.isAdmin ? 'Administrator' : 'User'}</dd>
      </dl>
    </section>
  );
}

/**
 * The sections of the page, in order: each is a self-contained component (its own requests,
 * state and errors), so a new one is one line here.
 */
const sections: { id: string; Section: ComponentType }[] = [
  { id: 'profile', Section: ProfileSection },
  { id: 'location', Section: LocationSection },
  { id: 'export', Section: ExportSection },
  { id: 'erasure', Section: ErasureSection },
];

/** The signed-in user's account: profile, then what they can do with their data. */
export function AccountPage() {
  return (
    <Shell title="Account">
      <div className="page account-page">
        {sections.map(({ id, Section }) => (
          <Section key={id} />
        ))}
      </div>
    </Shell>
  );
}
