import { useEffect, useState, type SubmitEvent } from 'react';
import { describeError } from '../api/client';
import { field } from '../api/form';
import { albums, users } from '../api/endpoints';
import type { Album, AlbumMember, DirectoryUser, MemberRole } from '../api/types';
import { Dialog } from '../layout/Dialog';
import { FormError } from '../layout/FormError';

const roleText: Record<MemberRole, string> = {
  viewer: 'Viewer (see and download)',
  editor: 'Editor (also add and remove photos)',
};

/** The owner shares the album with other users of this server, changes roles, removes people. */
export function MembersDialog({
  album,
  onClose,
}: {
  album: Album;
  onClose: (changed: boolean) => void;
}) {
  const [members, setMembers] = useState<AlbumMember[]>(album.members);
  const [directory, setDirectory] = useState<DirectoryUser[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [changed, setChanged] = useState(false);

  useEffect(() => {
    users.directory().then(setDirectory, (err: unknown) => {
      setError(describeError(err));
    });
  }, []);

  const run = async (action: () => Promise<void>, done: string) => {
    setError(null);
    setStatus(null);
    try {
      await action();
      setChanged(true);
      setStatus(done);
    } catch (err) {
      setError(describeError(err));
    }
  };

  const setRole = (member: { userId: string; name: string }, role: MemberRole) =>
    run(
      async () => {
        setMembers(await albums.setMember(album.id, member.userId, role));
      },
      `${member.name} is now ${role === 'editor' ? 'an editor' : 'a viewer'}.`,
    );

  const remove = (member: AlbumMember) =>
    run(async () => {
      await albums.removeMember(album.id, member.userId);
      setMembers((list) => list.filter((m) => m.userId !== member.userId));
    }, `${member.name} no longer sees this album.`);

  const add = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const userId = field(data, 'user');
    const role = field(data, 'role') as MemberRole;
    const user = directory?.find((u) => u.id === userId);
    if (!user) return;
    await setRole({ userId, name: user.name }, role);
  };

  const candidates = (directory ?? []).filter((u) => !members.some((m) => m.userId === u.id));

  return (
    <Dialog
      title={`Share “${album.title || 'Untitled album'}” with people`}
      onClose={() => {
        onClose(changed);
      }}
      wide
    >
      {members.length === 0 ? (
        <p>Only you can see this album.</p>
      ) : (
        <ul className="member-list" aria-label="People with access">
          {members.map((m) => (
            <li key={m.userId}>
              <span className="member-name">
                <strong>{m.name}</strong>
                <small>{m.email}</small>
              </span>
              <select
                aria-label={`Role of ${m.name}`}
                value={m.role}
                onChange={(e) => void setRole(m, e.target.value as MemberRole)}
              >
                <option value="viewer">Viewer</option>
                <option value="editor">Editor</option>
              </select>
              <button
                type="button"
                className="secondary danger"
                aria-label={`Remove ${m.name}`}
                onClick={() => void remove(m)}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {directory === null && !error && <p>Loading people…</p>}
      {directory && candidates.length === 0 && (
        <p className="link-hint">
          {directory.length === 0
            ? 'There is nobody else on this server yet.'
            : 'Everyone on this server already has access.'}
        </p>
      )}
      {candidates.length > 0 && (
        <form className="member-add" onSubmit={(e) => void add(e)}>
          <label>
            Person
            <select name="user" required defaultValue="">
              <option value="" disabled>
                Choose someone…
              </option>
              {candidates.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({u.email})
                </option>
              ))}
            </select>
          </label>
          <label>
            Role
            <select name="role" defaultValue="viewer">
              <option value="viewer">{roleText.viewer}</option>
              <option value="editor">{roleText.editor}</option>
            </select>
          </label>
          <button type="submit" className="primary">
            Share
          </button>
        </form>
      )}
      {status && <p role="status">{status}</p>}
      <FormError error={error} />
    </Dialog>
  );
}
