import type { LinkOptions, ShareLink } from '../api/types';

export type ExpiryChoice = 'keep' | '1' | '7' | '30' | 'custom' | 'never';

/** The link options as the form holds them (strings for the text and number fields). */
export interface LinkFormState {
  expiry: ExpiryChoice;
  /** yyyy-mm-dd, for the custom expiry. */
  customDate: string;
  password: string;
  removePassword: boolean;
  maxViews: string;
  allowDownload: boolean;
  allowUpload: boolean;
  showMetadata: boolean;
  description: string;
  label: string;
}

const dayMs = 86_400_000;

const isoDay = (date: Date) => {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
};

/** A new link: deny by default (30 days, no download, no upload, no metadata). */
export function newLinkForm(): LinkFormState {
  return {
    expiry: '30',
    customDate: isoDay(new Date(Date.now() + 90 * dayMs)),
    password: '',
    removePassword: false,
    maxViews: '',
    allowDownload: false,
    allowUpload: false,
    showMetadata: false,
    description: '',
    label: '',
  };
}

/** An existing link's options, to edit: its expiry is kept unless changed. */
export function editLinkForm(link: ShareLink): LinkFormState {
  return {
    expiry: 'keep',
    customDate: isoDay(
      link.expiresAt ? new Date(link.expiresAt) : new Date(Date.now() + 30 * dayMs),
    ),
    password: '',
    removePassword: false,
    maxViews: link.maxViews === null ? '' : String(link.maxViews),
    allowDownload: link.allowDownload,
    allowUpload: link.allowUpload,
    showMetadata: link.showMetadata,
    description: link.description ?? '',
    label: link.label ?? '',
  };
}

export function formatExpiry(expiresAt: string | null): string {
  if (expiresAt === null) return 'Never expires';
  return new Date(expiresAt).toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

/** What to send: a create sends every option; an edit only what changed. */
export function linkOptionsOf(
  form: LinkFormState,
  original?: ShareLink,
): { options: LinkOptions } | { error: string } {
  const options: LinkOptions = {};
  switch (form.expiry) {
    case 'keep':
      break;
    case 'never':
      options.expiresAt = 'never';
      break;
    case 'custom': {
      // The end of the chosen day, in the owner's time zone.
      const at = new Date(`${form.customDate}T23:59:59`);
      if (Number.isNaN(at.getTime())) return { error: 'Choose the day the link expires.' };
      if (at.getTime() <= Date.now()) return { error: 'The expiry day must be in the future.' };
      options.expiresAt = at.toISOString();
      break;
    }
    case '1':
    case '7':
    case '30':
      options.expiresAt = new Date(Date.now() + Number(form.expiry) * dayMs).toISOString();
  }
  const maxViews = form.maxViews.trim() === '' ? null : Number(form.maxViews);
  if (maxViews !== null && (!Number.isInteger(maxViews) || maxViews < 1)) {
    return { error: 'The maximum number of views must be a whole number of at least 1.' };
  }
  const label = form.label.trim() || null;
  const description = form.description.trim() || null;
  if (!original) {
    if (form.password !== '') options.password = form.password;
    if (maxViews !== null) options.maxViews = maxViews;
    if (label !== null) options.label = label;
    if (description !== null) options.description = description;
    options.allowDownload = form.allowDownload;
    options.allowUpload = form.allowUpload;
    options.showMetadata = form.showMetadata;
    return { options };
  }
  if (form.removePassword) options.password = null;
  else if (form.password !== '') options.password = form.password;
  if (maxViews !== original.maxViews) options.maxViews = maxViews;
  if (label !== original.label) options.label = label;
  if (description !== original.description) options.description = description;
  if (form.allowDownload !== original.allowDownload) options.allowDownload = form.allowDownload;
  if (form.allowUpload !== original.allowUpload) options.allowUpload = form.allowUpload;
  if (form.showMetadata !== original.showMetadata) options.showMetadata = form.showMetadata;
  return { options };
}

/** The fields of a link's options, shared by the create dialog and the edit dialog. */
export function LinkOptionsFields({
  form,
  onChange,
  forAlbum,
  original,
}: {
  form: LinkFormState;
  onChange: (form: LinkFormState) => void;
  /** Uploads are possible into an album only. */
  forAlbum: boolean;
  /** The link being edited (absent when creating one). */
  original?: ShareLink;
}) {
  const set = <K extends keyof LinkFormState>(key: K, value: LinkFormState[K]) => {
    onChange({ ...form, [key]: value });
  };
  return (
    <div className="link-options">
      <div className="link-row">
        <label>
          Expires
          <select
            value={form.expiry}
            onChange={(e) => {
              set('expiry', e.target.value as ExpiryChoice);
            }}
          >
            {original && (
              <option value="keep">Unchanged ({formatExpiry(original.expiresAt)})</option>
            )}
            <option value="1">In 1 day</option>
            <option value="7">In 7 days</option>
            <option value="30">In 30 days</option>
            <option value="custom">On a day I choose…</option>
            <option value="never">Never</option>
          </select>
        </label>
        {form.expiry === 'custom' && (
          <label>
            Expiry day
            <input
              type="date"
              value={form.customDate}
              min={isoDay(new Date())}
              onChange={(e) => {
                set('customDate', e.target.value);
              }}
            />
          </label>
        )}
      </div>
      {form.expiry === 'never' && (
        <p className="link-hint warning">The link will work until you revoke it.</p>
      )}
      <div className="link-row">
        <label>
          {original?.hasPassword ? 'New password (empty: keep it)' : 'Password (optional)'}
          <input
            type="password"
            autoComplete="new-password"
            value={form.password}
            disabled={form.removePassword}
            onChange={(e) => {
              set('password', e.target.value);
            }}
          />
        </label>
        <label>
          Maximum views (optional)
          <input
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            value={form.maxViews}
            placeholder="No limit"
            onChange={(e) => {
              set('maxViews', e.target.value);
            }}
          />
        </label>
      </div>
      {original?.hasPassword && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.removePassword}
            onChange={(e) => {
              set('removePassword', e.target.checked);
            }}
          />
          Remove the password
        </label>
      )}
      <fieldset className="link-flags">
        <legend>Visitors may</legend>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.allowDownload}
            onChange={(e) => {
              set('allowDownload', e.target.checked);
            }}
          />
          Allow download
        </label>
        {forAlbum && (
          <label className="checkbox">
            <input
              type="checkbox"
              checked={form.allowUpload}
              onChange={(e) => {
                set('allowUpload', e.target.checked);
              }}
            />
            Allow upload into the album
          </label>
        )}
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.showMetadata}
            aria-describedby="show-metadata-hint"
            onChange={(e) => {
              set('showMetadata', e.target.checked);
            }}
          />
          Show metadata
        </label>
        <p className="link-hint" id="show-metadata-hint">
          Location, camera and file names are removed unless you turn this on.
        </p>
      </fieldset>
      <label>
        Description (shown to visitors)
        <textarea
          rows={2}
          value={form.description}
          onChange={(e) => {
            set('description', e.target.value);
          }}
        />
      </label>
      <label>
        Label (only you see it)
        <input
          value={form.label}
          placeholder="e.g. For grandma"
          onChange={(e) => {
            set('label', e.target.value);
          }}
        />
      </label>
    </div>
  );
}
