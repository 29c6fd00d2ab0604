// Test support: PixelUnion export documents as docs/export-format.md shows them.
import { readExportDocument } from './takeout.pixelunion.read.js';

export const root = 'PixelUnion export 2026-11-27';

/** An asset document as docs/export-format.md shows it. */
export function assetJson(overrides: Record<string, unknown> = {}) {
  return {
    format: 'pixelunion.asset',
    version: 1,
    id: 'asset-1',
    type: 'image',
    file: {
      path: '2023/10/PXL_20231006_063000139.jpg',
      originalFileName: 'PXL_20231006_063000139.jpg',
      mimeType: 'image/jpeg',
      size: 3012345,
      sha1: 'A94A8FE5CCB19BA61C4C0873D391E987982FBBD3',
      createdAt: '2023-10-06T06:30:02.000Z',
      modifiedAt: null,
    },
    motion: { path: '2023/10/PXL_20231006_063000139.mp4', mimeType: 'video/mp4', size: 1534201 },
    date: {
      takenAt: '2023-10-06T06:30:00.000Z',
      localDateTime: '2023-10-06T08:30:00',
      utcOffsetMinutes: 120,
      utcOffset: '+02:00',
      source: 'user',
    },
    location: {
      latitude: 48.8583736,
      longitude: 2.2944813,
      altitude: 35.2,
      source: 'takeout-json',
    },
    description: 'Eiffel tower at sunrise',
    isFavorite: true,
    visibility: 'archive',
    isTrashed: true,
    trashedAt: '2026-11-01T10:00:00.000Z',
    albums: [
      { id: 'album-1', title: 'Paris', ownedByYou: true },
      { id: 'album-9', title: 'Their trip', ownedByYou: false },
    ],
    futureField: { ignored: true },
    ...overrides,
  };
}

export const asAsset = (value: unknown, at = `${root}/2023/10/PXL_20231006_063000139.jpg.json`) => {
  const doc = readExportDocument(value, at);
  if (doc?.kind !== 'pixelunion-asset') throw new Error(`not an asset: ${JSON.stringify(doc)}`);
  return doc;
};
