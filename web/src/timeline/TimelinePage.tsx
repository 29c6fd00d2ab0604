import { useState } from 'react';
import { describeError } from '../api/client';
import { assets } from '../api/endpoints';
import type { View } from '../api/types';
import { Shell } from '../layout/Shell';
import { Timeline } from './Timeline';

const pages: Record<
  'timeline' | 'favorites' | 'archive' | 'trash',
  { title: string; empty: string }
> = {
  timeline: {
    title: 'Photos',
    empty: 'No photos yet. Drop photos or folders anywhere on this page, or use Upload.',
  },
  favorites: { title: 'Favourites', empty: 'No favourites yet: press the heart on a photo.' },
  archive: {
    title: 'Archive',
    empty: 'Nothing archived. Archived photos stay out of the timeline.',
  },
  trash: { title: 'Trash', empty: 'The trash is empty.' },
};

export function TimelinePage({ view }: { view: Exclude<View, 'all'> }) {
  const [generation, setGeneration] = useState(0);
  const [message, setMessage] = useState<string | null>(null);
  const { title, empty } = pages[view];

  const emptyTrash = async () => {
    if (!window.confirm('Delete everything in the trash for good? This cannot be undone.')) return;
    try {
      const { deleted } = await assets.emptyTrash();
      setMessage(`Deleted ${deleted} item${deleted === 1 ? '' : 's'} for good.`);
      setGeneration((g) => g + 1);
    } catch (err) {
      setMessage(describeError(err));
    }
  };

  const actions =
    view === 'trash' ? (
      <button type="button" className="secondary danger" onClick={() => void emptyTrash()}>
        Empty trash
      </button>
    ) : undefined;

  return (
    <Shell title={title} actions={actions}>
      {message && (
        <p className="page-message" role="status">
          {message}
        </p>
      )}
      <Timeline key={`${view}-${generation}`} view={view} emptyText={empty} />
    </Shell>
  );
}
