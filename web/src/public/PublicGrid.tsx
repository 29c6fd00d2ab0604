import { useMemo } from 'react';
import type { PublicAsset } from '../api/types';
import { JustifiedGrid } from '../timeline/JustifiedGrid';
import type { LinkApi } from './publicApi';

export const ratioOf = (a: PublicAsset) =>
  a.width && a.height && a.width > 0 && a.height > 0 ? a.width / a.height : 1.5;

export const assetLabel = (a: PublicAsset, index: number) =>
  a.metadata?.originalFileName ??
  `${a.type === 'video' ? 'video' : 'photo'} ${index + 1} of ${a.localDateTime.slice(0, 10)}`;

/** The shared photos in justified rows, like the timeline (one block: a link is small). */
export function PublicGrid({
  assets,
  api,
  onOpen,
  onThumbnailError,
}: {
  assets: PublicAsset[];
  api: LinkApi;
  onOpen: (index: number) => void;
  /** A thumbnail failed: the link may have been revoked or expired meanwhile. */
  onThumbnailError: (id: string) => void;
}) {
  const items = useMemo(
    () =>
      assets.map((a, index) => ({
        id: a.id,
        ratio: ratioOf(a),
        thumbhash: a.thumbhash,
        isVideo: a.type === 'video',
        durationSeconds: a.durationSeconds,
        label: `Open ${assetLabel(a, index)}`,
      })),
    [assets],
  );
  return (
    <JustifiedGrid
      items={items}
      thumbnailUrl={api.thumbnailUrl}
      onOpen={onOpen}
      onThumbnailError={onThumbnailError}
      label="Shared photos"
    />
  );
}
