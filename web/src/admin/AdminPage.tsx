import { useEffect, useState, type SubmitEvent } from 'react';
import { describeError } from '../api/client';
import { field } from '../api/form';
import { users } from '../api/endpoints';
import type { User } from '../api/types';
import { Shell } from '../layout/Shell';
import { formatBytes } from '../timeline/dates';
import { FormError } from '../layout/FormError';
import { EraseUserAction } from '../account/EraseUserAction';

const gib = 1024 ** 3;
const quotaFromInput = (value: string): number | null =>
  value.trim() === '' ? null : Math.round(Number(value) * gib);

function QuotaEditor({ user, onSaved }: { user: User; onSaved: (user: User) => void }) {
  const [value, setValue] = useState(user.quotaBytes === null ? '' : String(user.quotaBytes / gib));
  const [error, setError] = useState<string | null>(null);
  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    try {
      onSaved(await users.setQuota(user.id, quotaFromInput(value)));
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <form className="quota-form" onSubmit={(e) => void save(e)}>
      <input
        type="number"
        min="0"
        step="any"
        value={value}
        placeholder="unlimited"
        aria-label={`Quota of ${user.name} in GiB`}
        onChange={(e) => {
          setValue(e.target.value);
        }}
      />
      <span>GiB</span>
      <button type="submit">Set</button>
      {error && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}

export function AdminPage() {
  const [list, setList] = useState<User[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);

  const load = () => {
    users.list().then(setList, (err: unknown) => {
      setError(describeError(err));
    });
  };
  useEffect(load, []);

  const create = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setError(null);
    setCreated(null);
    try {
      const user = await users.create({
        name: field(data, 'name'),
        email: field(data, 'email'),
        password: field(data, 'password'),
        isAdmin: data.get('isAdmin') === 'on',
        quotaBytes: quotaFromInput(field(data, 'quota')),
      });
      setCreated(`Created ${user.email}.`);
      form.reset();
      load();
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <Shell title="Users">
      <div className="page">
        <FormError error={error} />
        {!list && !error && <p>Loading users…</p>}
        {list && (
          <table className="users-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Email</th>
                <th>Role</th>
                <th>Quota</th>
                <th>Erasure</th>
              </tr>
            </thead>
            <tbody>
              {list.map((user) => (
                <tr key={user.id}>
                  <td>{user.name}</td>
                  <td>{user.email}</td>
                  <td>{user.isAdmin ? 'Admin' : 'User'}</td>
                  <td>
                    <QuotaEditor
                      user={user}
                      onSaved={(saved) => {
                        setList((old) => old?.map((u) => (u.id === saved.id ? saved : u)) ?? null);
                      }}
                    />
                    {user.quotaBytes !== null && <small>{formatBytes(user.quotaBytes)}</small>}
                  </td>
                  <td>
                    <EraseUserAction user={user} onErased={load} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h2>New user</h2>
        <form className="stack-form" onSubmit={(e) => void create(e)}>
          <label>
            Name <input name="name" required />
          </label>
          <label>
            Email <input name="email" type="email" required />
          </label>
          <label>
            Password{' '}
            <input
              name="password"
              type="password"
              minLength={8}
              required
              autoComplete="new-password"
            />
          </label>
          <label>
            Quota (GiB, empty for none) <input name="quota" type="number" min="0" step="any" />
          </label>
          <label className="checkbox">
            <input name="isAdmin" type="checkbox" /> Administrator
          </label>
          <button type="submit" className="primary">
            Create user
          </button>
          {created && <p role="status">{created}</p>}
        </form>
      </div>
    </Shell>
  );
}
