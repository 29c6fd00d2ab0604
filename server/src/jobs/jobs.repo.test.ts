import { afterEach, describe, expect, it } from 'vitest';
import { dialects } from '../test/test-server.js';
import { contractDatabase } from './job-queue.contract.js';
import { JobsRepo } from './jobs.repo.js';

describe.each(dialects)('the jobs table, on %s', (dialect) => {
  let database: Awaited<ReturnType<typeof contractDatabase>> | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  it('releases held jobs created at or before the cutoff, and only those', async () => {
    database = await contractDatabase(dialect);
    const repo = new JobsRepo(database.shared.db, database.shared.dialect);
    const held = await repo.insert('metadata', '{"assetId":"a"}', 3, undefined, 'held');
    const { created_at: heldAt } = await database.shared.db
      .selectFrom('jobs')
      .select('created_at')
      .where('id', '=', held)
      .executeTakeFirstOrThrow();
    // A restart in the same millisecond as the hold (grace 0) still finds the job.
    expect(await repo.releaseHeldUpTo(heldAt - 1)).toBe(0);
    expect(await repo.releaseHeldUpTo(heldAt)).toBe(1);
    expect(await repo.get(held)).toMatchObject({ status: 'waiting' });
    expect(await repo.releaseHeldUpTo(heldAt)).toBe(0);
  });
});
