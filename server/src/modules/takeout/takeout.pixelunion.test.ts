import { describe, expect, it } from 'vitest';
import type { AssetRow } from '../../db/db.types.js';
import type { ExtractedMetadata } from '../../media/index.js';
import { importedColumns, initialDate } from '../assets/assets.imported.js';
import { metadataChanges } from '../assets/assets.processor.js';
import { libraryFolder } from './takeout.indexer.js';
import { exportedUpload, exportRootOf, ignoredInExport } from './takeout.pixelunion.js';
import { readExportDocument } from './takeout.pixelunion.read.js';
import { asAsset, assetJson, root } from './takeout.pixelunion.testing.js';
describe('PixelUnion export paths', () => {
  it('finds the export root at any depth, and strips it from folders', () => {
    expect(exportRootOf(`${root}/2023/10/IMG.jpg`)).toBe(root);
    expect(exportRootOf(`backup/${root}/albums.json`)).toBe(`backup/${root}`);
    expect(exportRootOf('Takeout/Google Photos/Photos from 2023/IMG.jpg')).toBeNull();
    expect(exportRootOf(root)).toBeNull();
    expect(libraryFolder(`${root}/2023/10`)).toBe('2023/10');
    expect(libraryFolder(`${root}/Trash/2019/08`)).toBe('Trash/2019/08');
    expect(libraryFolder(root)).toBe('');
    expect(libraryFolder('Takeout/Google Photos/Photos from 2023')).toBe('Photos from 2023');
  });

  it('ignores the files made for people and other tools, with the reason', () => {
    expect(ignoredInExport(`${root}/thumbnails/2023/10/IMG.jpg.webp`)).toMatch(
      /thumbnail \(made again on import\)/,
    );
    expect(ignoredInExport(`${root}/2023/10/IMG.jpg.xmp`)).toMatch(/XMP sidecar/);
    expect(ignoredInExport(`${root}/index.html`)).toMatch(/offline page/);
    expect(ignoredInExport(`${root}/README.txt`)).toMatch(/read-me/);
    expect(ignoredInExport(`${root}/2023/10/IMG.jpg`)).toBeNull();
    expect(ignoredInExport(`${root}/2023/10/IMG.jpg.json`)).toBeNull();
    expect(ignoredInExport('Takeout/Google Photos/x.xmp')).toBeNull();
  });
});

describe('PixelUnion export documents', () => {
  it('reads an asset document: paths in the archive, exact date, place, states, own albums', () => {
    const doc = asAsset(assetJson());
    expect(doc).toMatchObject({
      id: 'asset-1',
      file: `${root}/2023/10/PXL_20231006_063000139.jpg`,
      motion: `${root}/2023/10/PXL_20231006_063000139.mp4`,
      sha1: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3',
      name: 'PXL_20231006_063000139.jpg',
      fileCreatedAt: Date.parse('2023-10-06T06:30:02.000Z'),
      fileModifiedAt: null,
      date: {
        takenAt: Date.parse('2023-10-06T06:30:00.000Z'),
        localDateTime: '2023-10-06T08:30:00',
        utcOffsetMinutes: 120,
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
      trashedAt: Date.parse('2026-11-01T10:00:00.000Z'),
      albums: [{ id: 'album-1', title: 'Paris' }],
    });
  });

  it('finds the root from where the document is, also without an export folder', () => {
    expect(asAsset(assetJson(), '2023/10/PXL_20231006_063000139.jpg.json').file).toBe(
      '2023/10/PXL_20231006_063000139.jpg',
    );
    expect(asAsset(assetJson(), `x/${root}/2023/10/other.json`).file).toBe(
      `x/${root}/2023/10/PXL_20231006_063000139.jpg`,
    );
  });

  it('leaves out what is malformed, and refuses what it cannot do without', () => {
    const lenient = asAsset(
      assetJson({
        date: { takenAt: 'yesterday', localDateTime: '2023-10-06T08:30:00', source: 'exif' },
        location: { latitude: 123, longitude: 2 },
        isFavorite: 'yes',
        visibility: 'hidden',
        isLocked: true,
        albums: 'none',
        motion: null,
        trashedAt: null,
        isTrashed: false,
      }),
    );
    expect(lenient).toMatchObject({
      date: null,
      location: null,
      isFavorite: false,
      visibility: 'locked',
      albums: [],
      motion: null,
      trashedAt: null,
    });
    const ignoredDetail = (value: unknown) => {
      const doc = readExportDocument(value, `${root}/a.json`);
      return doc?.kind === 'pixelunion-ignored'
        ? doc.detail
        : `not ignored: ${doc?.kind ?? 'null'}`;
    };
    expect(ignoredDetail(assetJson({ version: 2 }))).toMatch(/version 2, newer than version 1/);
    expect(ignoredDetail(assetJson({ file: { path: null } }))).toMatch(/not in the export/);
    expect(ignoredDetail(assetJson({ file: { path: '../../etc/passwd' } }))).toMatch(/unusable/);
    expect(ignoredDetail(assetJson({ id: 7 }))).toMatch(/unusable \(id/);
    expect(ignoredDetail({ format: 'pixelunion.account', version: 1 })).toMatch(/account/);
    expect(ignoredDetail({ format: 'pixelunion.future', version: 1 })).toMatch(
      /pixelunion.future document, not imported/,
    );
    // Not a PixelUnion document at all: left to the Takeout reader.
    expect(readExportDocument({ title: 'IMG.jpg', photoTakenTime: {} }, 'a.json')).toBeNull();
    expect(readExportDocument({ format: 'other' }, 'a.json')).toBeNull();
  });

  it('reads albums.json: own albums with their photos in the order they were added, and shares', () => {
    const doc = readExportDocument(
      {
        format: 'pixelunion.albums',
        version: 1,
        albums: [
          {
            id: 'album-1',
            title: 'Paris',
            description: 'Holidays',
            coverAssetId: 'b',
            sortOrder: 'asc',
            members: [{ userId: 'u2', role: 'viewer' }],
            assets: [
              { assetId: 'b', path: '2023/10/b.jpg', addedAt: '2024-01-02T00:00:00.000Z' },
              { assetId: 'a', path: '2023/10/a.jpg', addedAt: '2024-01-01T00:00:00.000Z' },
              { broken: true },
            ],
          },
          { title: 'no id' },
        ],
        sharedWithYou: [{ id: 'x', title: 'Their trip', owner: { name: 'Ann' } }],
      },
      `${root}/albums.json`,
    );
    expect(doc).toEqual({
      kind: 'pixelunion-albums',
      albums: [
        {
          id: 'album-1',
          title: 'Paris',
          description: 'Holidays',
          coverAssetId: 'b',
          sortOrder: 'asc',
          members: 1,
          assets: [
            ['a', Date.parse('2024-01-01T00:00:00.000Z')],
            ['b', Date.parse('2024-01-02T00:00:00.000Z')],
          ],
        },
      ],
      sharedWithYou: [{ title: 'Their trip', owner: 'Ann' }],
    });
    expect(
      readExportDocument({ format: 'pixelunion.shares', version: 1, links: [{}, {}] }, 'x'),
    ).toEqual({ kind: 'pixelunion-shares', links: 2 });
  });

  it('turns a document into the upload: exact date and place kept, checksum to check', () => {
    const upload = exportedUpload(asAsset(assetJson()), 'PXL (1).jpg');
    expect(upload.filename).toBe('PXL_20231006_063000139.jpg');
    expect(upload.fileCreatedAt?.toISOString()).toBe('2023-10-06T06:30:02.000Z');
    expect(upload.fileModifiedAt).toBeUndefined();
    expect(upload.facts).toMatchObject({
      keep: true,
      sha1: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3',
      date: { source: 'user', utcOffsetMinutes: 120 },
      location: { source: 'takeout-json' },
      visibility: 'archive',
      trashedAt: Date.parse('2026-11-01T10:00:00.000Z'),
      isFavorite: true,
      description: 'Eiffel tower at sunrise',
    });
    const undated = exportedUpload(asAsset(assetJson({ date: null, description: null })), 'x.jpg');
    expect(undated.facts.keep).toBe(false);
    expect(undated.facts.description).toBeUndefined();
  });
});

describe('the metadata read after importing an exported asset', () => {
  const fromFile: ExtractedMetadata = {
    takenAt: new Date('2020-01-01T10:00:00Z'),
    localDateTime: '2020-01-01T11:00:00',
    utcOffsetMinutes: 60,
    dateSource: 'exif',
    latitude: 1,
    longitude: 2,
    altitude: 3,
    width: 4000,
    height: 3000,
    orientation: 1,
    make: 'Canon',
    model: 'EOS',
    lensModel: null,
    exposureTime: '1/100',
    fNumber: 2.8,
    focalLength: 35,
    iso: 100,
    durationSeconds: null,
    description: 'from the camera',
    embeddedMotion: null,
  };
  const assetOf = (keep: boolean): AssetRow => {
    const { facts } = exportedUpload(
      asAsset(assetJson({ description: null, location: null })),
      'x.jpg',
    );
    const now = Date.now();
    const date = initialDate(facts, undefined, now);
    return {
      id: 'a',
      owner_id: 'u',
      type: 'image',
      format: 'jpeg',
      mime_type: 'image/jpeg',
      status: 'processing',
      error: null,
      original_file_name: 'x.jpg',
      file_size: 1,
      checksum: 'c',
      file_created_at: null,
      file_modified_at: null,
      uploaded_at: now,
      latitude: null,
      longitude: null,
      altitude: null,
      location_source: null,
      width: null,
      height: null,
      orientation: null,
      make: null,
      model: null,
      lens_model: null,
      exposure_time: null,
      f_number: null,
      focal_length: null,
      iso: null,
      duration_seconds: null,
      description: null,
      thumbhash: null,
      has_thumbnail: 0,
      uploaded_via_link_id: null,
      motion_file_size: null,
      motion_mime_type: null,
      trashed_at: null,
      ...date,
      utc_offset_minutes: date.utc_offset_minutes ?? null,
      ...importedColumns({ ...facts, keep }, now),
      keep_imported_facts: keep ? 1 : 0,
    };
  };

  it('fills only the camera and dimensions: the date, the absent place and description stay', () => {
    const changes = metadataChanges(assetOf(true), fromFile);
    expect(changes).toMatchObject({ make: 'Canon', width: 4000, description: null });
    for (const column of ['taken_at', 'local_date_time', 'date_source', 'latitude'] as const) {
      expect(changes, column).not.toHaveProperty(column);
    }
    // Without the mark, the file's own metadata would have filled them (a 'user' date stays).
    expect(metadataChanges(assetOf(false), fromFile)).toMatchObject({
      latitude: 1,
      description: 'from the camera',
    });
  });
});
