import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createUser, waitForJobs, type TestUser } from '../../test/factories.js';
import { generateTakeoutExport, type GeneratedExport } from '../../test/takeout/export.js';
import { dialects, startTestServer, type TestServer } from '../../test/test-server.js';
import type { AssetView } from '../assets/assets.view.js';
import { importParts, type ImportReport } from './takeout.testing.js';

// Every case of TAKEOUT.md, generated with its expected outcome (server/src/test/takeout), split
// over three parts so that photos, their JSON and their album copies are in different parts.
const cases = dialects.flatMap((dialect) =>
  (['zip', 'tgz'] as const)
    .filter((format) => dialect === 'sqlite' || format === 'zip')
    .map((format) => ({ dialect, format })),
);

describe.each(cases)('a generated Takeout export ($format, $dialect)', ({ dialect, format }) => {
  let server: TestServer;
  let dir: string;
  let generated: GeneratedExport;
  let user: TestUser;
  let report: ImportReport;
  beforeAll(async () => {
    server = await startTestServer(dialect);
    user = await createUser(server);
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'takeout-generated-'));
    generated = await generateTakeoutExport({ dir, format, parts: 3 });
    ({ report } = await importParts(server, user, generated.parts));
    await waitForJobs(server);
  }, 180_000);
  afterAll(async () => {
    await server.close();
    await fsp.rm(dir, { recursive: true, force: true });
  });

  const lineOf = (entryPath: string) => {
    const normal = entryPath.normalize('NFC');
    const found = report.files.find((f) => f.path === normal);
    if (!found) throw new Error(`the report has no line for ${entryPath}`);
    return found;
  };

  const assetOf = async (id: string | null): Promise<AssetView> => {
    const { status, body } = await api<AssetView>(server, 'GET', `/api/assets/${id ?? ''}`, {
      token: user.token,
    });
    expect(status).toBe(200);
    return body;
  };

  it('imports each expected asset once, with its date, place, description and states', async () => {
    const failures: string[] = [];
    for (const expected of generated.assets) {
      const lines = expected.paths.map(lineOf);
      const imported = lines.filter((l) => l.outcome === 'imported');
      const ids = new Set(lines.map((l) => l.assetId));
      if (imported.length !== 1 || ids.size !== 1) {
        failures.push(
          `${expected.key}: ${JSON.stringify(lines.map((l) => [l.path, l.outcome, l.detail]))}`,
        );
        continue;
      }
      const asset = await assetOf(imported[0]?.assetId ?? null);
      const actual = {
        type: asset.type,
        format: asset.format,
        takenAt: asset.takenAt,
        localDateTime: asset.localDateTime.slice(0, 19),
        utcOffsetMinutes: asset.utcOffsetMinutes,
        dateSource: asset.dateSource,
        locationSource: asset.locationSource,
        description: asset.description,
        favorite: asset.isFavorite,
        archived: asset.isArchived,
        trashed: asset.isTrashed,
        locked: asset.isLocked,
        hasMotion: asset.hasMotion,
      };
      const wanted = {
        type: expected.type,
        format: expected.format,
        takenAt: expected.takenAt,
        localDateTime: expected.localDateTime.slice(0, 19),
        utcOffsetMinutes: expected.utcOffsetMinutes,
        dateSource: expected.dateSource,
        locationSource: expected.locationSource,
        description: expected.description,
        favorite: expected.favorite,
        archived: expected.archived,
        trashed: expected.trashed,
        locked: expected.locked,
        hasMotion: expected.motionPath !== undefined,
      };
      const near = (a: number | null, b: number | undefined) =>
        a !== null && b !== undefined && Math.abs(a - b) < 1e-6;
      const placeOk = expected.location
        ? near(asset.latitude, expected.location.latitude) &&
          near(asset.longitude, expected.location.longitude)
        : asset.latitude === null;
      if (JSON.stringify(actual) !== JSON.stringify(wanted) || !placeOk) {
        failures.push(
          `${expected.key} (${expected.paths[0] ?? ''}):\n  got    ${JSON.stringify({ ...actual, lat: asset.latitude, lon: asset.longitude })}\n  wanted ${JSON.stringify({ ...wanted, location: expected.location })}`,
        );
      }
      if (expected.motionPath) {
        const motion = lineOf(expected.motionPath);
        if (motion.outcome !== 'motion' || motion.assetId !== asset.id) {
          failures.push(`${expected.key}: motion part ${JSON.stringify(motion)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('re-creates the albums with their titles, descriptions and members', async () => {
    const keyOf = new Map<string, string>();
    for (const expected of generated.assets) {
      const id = lineOf(expected.paths[0] ?? '').assetId;
      if (id) keyOf.set(id, expected.key);
    }
    const trashed = new Set(generated.assets.filter((a) => a.trashed).map((a) => a.key));
    for (const album of generated.albums) {
      const found = report.albums.find((a) => a.title === album.title);
      expect(found, album.title).toBeDefined();
      const { body } = await api<{ title: string; description: string | null; assetIds: string[] }>(
        server,
        'GET',
        `/api/albums/${found?.albumId ?? ''}`,
        { token: user.token },
      );
      expect(body.description ?? null).toBe(album.description);
      // An album lists what is not in the trash.
      const members = body.assetIds.map((id) => keyOf.get(id)).sort();
      expect(members, album.title).toEqual(album.members.filter((k) => !trashed.has(k)).sort());
    }
    expect(report.albums).toHaveLength(generated.albums.length);
  });

  it('accounts for every other file: ignored, skipped or refused, with the reason', () => {
    for (const other of generated.others) {
      const line = lineOf(other.path);
      expect(line.outcome, other.path).toBe(other.outcome);
      expect(line.detail?.toLowerCase(), other.path).toContain(other.reason.toLowerCase());
    }
    expect(report.summary.failed).toBe(0);
    expect(report.summary.pending).toBe(0);
  });
  it('keeps no names of people from the sidecars', async () => {
    const rows = await server.ctx.database.db
      .selectFrom('takeout_entries')
      .select('sidecar')
      .where('role', '=', 'sidecar')
      .execute();
    expect(rows.length).toBeGreaterThan(0);
    const stored = rows.map((r) => r.sidecar ?? '').join('\n');
    expect(stored).not.toMatch(/Oma|Lena/);
  });
});
