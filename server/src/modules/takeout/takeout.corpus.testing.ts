// Test support: the corpus Takeout trees and what importing them must give.
import { expect } from 'vitest';
import { api, type TestUser } from '../../test/factories.js';
import type { TestServer } from '../../test/test-server.js';
import type { AssetView } from '../assets/assets.view.js';
import { takeoutTree, type ImportReport } from './takeout.testing.js';

// The real trees of ../shared/corpus/takeout: 14 media files, 9 different photos and videos.
export const corpusTrees = ['Takeout1', 'Takeout2', 'Takeout3'].map(takeoutTree);
const parisLat = 48.8583736;
const parisLon = 2.291901;

export const reportLine = (report: ImportReport, suffix: string) => {
  const found = report.files.find((f) => f.path.endsWith(suffix));
  if (!found) throw new Error(`no report line for ${suffix}`);
  return found;
};
const line = reportLine;

/** The asset as its owner sees it through the API. */
export const assetView = async (server: TestServer, user: TestUser, id: string | null) => {
  const { status, body } = await api<AssetView>(server, 'GET', `/api/assets/${id ?? ''}`, {
    token: user.token,
  });
  expect(status).toBe(200);
  return body;
};

/** The report's counts for the three corpus trees, however they are imported (web or CLI). */
export const corpusReportSummary = {
  media: 14,
  imported: 9,
  duplicates: 2,
  skipped: 3,
  failed: 0,
  refused: 0,
  pending: 0,
};

/**
 * What an import of the three corpus trees gives, whatever the parts' format or where they were
 * kept: dates, places, albums, states, the moved counter.
 */
export async function checkCorpusLibrary(
  server: TestServer,
  user: TestUser,
  report: ImportReport,
): Promise<void> {
  expect(report.summary).toMatchObject(corpusReportSummary);
  const eiffel = line(report, 'Photos from 2023/PXL_20231006_063000139.jpg');
  const inAlbum = line(report, 'Album test 6-10-23/PXL_20231006_063000139.jpg');
  // The same photo in a year folder and an album is one asset.
  expect(inAlbum.assetId).toBe(eiffel.assetId);
  expect([eiffel.outcome, inAlbum.outcome].sort()).toEqual(['duplicate', 'imported']);
  const photo = await assetView(server, user, eiffel.assetId);
  expect(photo.takenAt).toBe('2023-10-06T06:30:00.000Z');
  expect(photo.latitude).toBeCloseTo(parisLat, 6);
  expect(photo.longitude).toBeCloseTo(parisLon, 6);
  expect(photo.locationSource).toBe('takeout-json');
  expect(photo.dateSource).toBe('takeout-json');
  const imported = eiffel.outcome === 'imported' ? eiffel : inAlbum;
  expect(imported).toMatchObject({ dateFrom: 'json', locationFrom: 'json' });

  // The counter moved by Google: DSC_0238(1).JPG's metadata is DSC_0238.JPG(1).json.
  expect(line(report, '/DSC_0238(1).JPG').sidecar).toMatch(/\/DSC_0238\.JPG\(1\)\.json$/);
  expect(line(report, '/DSC_0238.JPG').sidecar).toMatch(/\/DSC_0238\.JPG\.json$/);
  expect(line(report, '/DSC_0238_1.JPG').sidecar).toMatch(/\/DSC_0238_1\.JPG\.json$/);
  // Those three files are empty in the corpus: skipped, with the reason.
  expect(line(report, '/DSC_0238(1).JPG')).toMatchObject({ outcome: 'skipped' });
  expect(line(report, '/DSC_0238(1).JPG').detail).toMatch(/empty/);

  const favourite = await assetView(
    server,
    user,
    line(report, 'PXL_20231006_063851485.jpg').assetId,
  );
  expect(favourite.isFavorite).toBe(true);
  expect(favourite.description).toBe('Description from goggle photos');
  const archived = await assetView(
    server,
    user,
    line(report, 'PXL_20231006_063536303.jpg').assetId,
  );
  expect(archived.isArchived).toBe(true);
  const video = await assetView(
    server,
    user,
    line(report, 'PXL_20231006_063909898.LS.mp4').assetId,
  );
  expect(video.type).toBe('video');
  expect(video.originalFileName).toBe('TST_20231006_063909898.LS.mp4');
  expect(video.takenAt).toBe('2023-10-06T06:39:09.000Z');

  const titles = report.albums.map((a) => a.title).sort();
  expect(titles).toEqual(['Album test 6/10/23', 'Sans titre(9)']);
  const members = async (title: string) => {
    const album = report.albums.find((a) => a.title === title);
    const { body } = await api<{ assetIds: string[] }>(
      server,
      'GET',
      `/api/albums/${album?.albumId ?? ''}`,
      { token: user.token },
    );
    return body.assetIds;
  };
  expect(await members('Album test 6/10/23')).toHaveLength(8);
  const untitled = await members('Sans titre(9)');
  expect(untitled).toEqual([line(report, 'Sans titre(9)/PXL_20231006_063108407.jpg').assetId]);
  expect(untitled[0]).toBe(line(report, 'Album test 6-10-23/PXL_20231006_063108407.jpg').assetId);
  expect(report.notes.join(' ')).toMatch(/shared with you/);
}
