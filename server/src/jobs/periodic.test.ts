import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../db/database.js';
import { dialects, freshPostgresDatabase } from '../test/test-server.js';
import { runPeriodically } from './periodic.js';
import { PeriodicRepo } from './periodic.repo.js';

const log = pino({ level: 'silent' });

describe.each(dialects)('periodic tasks shared by worker processes on %s', (dialect) => {
  let handle: DatabaseHandle;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-periodic-'));
    const pg = dialect === 'postgres' ? await freshPostgresDatabase() : null;
    handle = openDatabase({
      databaseUrl: pg?.url ?? null,
      sqlitePath: path.join(dir, 'db.sqlite'),
    });
    await migrateToLatest(handle.db);
    cleanup = async () => {
      await handle.close();
      await pg?.drop();
      await fsp.rm(dir, { recursive: true, force: true });
    };
  });
  afterEach(() => cleanup());

  it('gives each due round to exactly one claimant', async () => {
    // Two processes with their own connections to one schedule.
    const one = new PeriodicRepo(handle.db);
    const two = new PeriodicRepo(handle.db);
    const claims = await Promise.all([
      one.claim('trash-expiry', 1000, 2000),
      two.claim('trash-expiry', 1000, 2000),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await two.claim('trash-expiry', 1999, 2999)).toBe(false);
    expect(await one.claim('export-expiry', 1999, 2999)).toBe(true);
    const due = await Promise.all([
      one.claim('trash-expiry', 2000, 3000),
      two.claim('trash-expiry', 2000, 3000),
    ]);
    expect(due.filter(Boolean)).toHaveLength(1);
    await one.ranAt('trash-expiry', 10_000);
    expect(await two.claim('trash-expiry', 9999, 20_000)).toBe(false);
    expect(await two.claim('trash-expiry', 10_000, 20_000)).toBe(true);
  });

  it('runs the round at start in every process and later rounds in one of them', async () => {
    const rounds = { a: 0, b: 0 };
    const everyMs = 150;
    const stopA = runPeriodically(
      'trash-expiry',
      everyMs,
      () => {
        rounds.a += 1;
        return Promise.resolve();
      },
      log,
      new PeriodicRepo(handle.db),
    );
    const stopB = runPeriodically(
      'trash-expiry',
      everyMs,
      () => {
        rounds.b += 1;
        return Promise.resolve();
      },
      log,
      new PeriodicRepo(handle.db),
    );
    await sleep(everyMs * 6.5);
    await stopA();
    await stopB();
    // Each ran its start round. Alone, each would then run about six more (twelve in all); sharing
    // the schedule, each due round runs in one of them.
    expect(rounds.a).toBeGreaterThanOrEqual(1);
    expect(rounds.b).toBeGreaterThanOrEqual(1);
    const later = rounds.a + rounds.b - 2;
    expect(later).toBeGreaterThanOrEqual(1);
    expect(later).toBeLessThanOrEqual(7);
  });
});
