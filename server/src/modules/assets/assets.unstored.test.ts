import fsp from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobKeys } from '../../storage/blob-store.js';
import { createUser, photo, uploadFixture, type TestUser } from '../../test/factories.js';
import { dialects, startTestServer, type TestServer } from '../../test/test-server.js';

const file = photo('exif-samples/jpg/Canon_40D.jpg');

describe.each(dialects)(
  'an asset a dead process committed without its original on %s',
  (dialect) => {
    let server: TestServer;
    let user: TestUser;
    beforeAll(async () => {
      // No workers: the jobs stay as the ingest left them.
      server = await startTestServer(dialect, {}, { workers: false });
      user = await createUser(server);
    });
    afterAll(() => server.close());

    it('gets the bytes sent again as its original, and its held metadata job released', async () => {
      const first = await uploadFixture(server, user, file);
      expect(first.status).toBe(201);
      const id = first.body.id;
      const key = blobKeys.original(user.id, id);
      const { db } = server.ctx.database;
      // What a process killed between the row's commit and the blob's move leaves behind.
      await server.ctx.blobs.delete(key);
      await db
        .updateTable('jobs')
        .set({ status: 'held' })
        .where('payload', '=', JSON.stringify({ assetId: id }))
        .execute();

      const again = await uploadFixture(server, user, file);
      expect(again.body).toMatchObject({ id, status: 'duplicate' });
      expect(await server.ctx.blobs.size(key)).toBe((await fsp.stat(file)).size);
      const jobs = await db
        .selectFrom('jobs')
        .select('status')
        .where('payload', '=', JSON.stringify({ assetId: id }))
        .execute();
      expect(jobs.map((j) => j.status)).toEqual(['waiting']);

      // A duplicate of an asset that has its original changes nothing.
      const third = await uploadFixture(server, user, file);
      expect(third.body).toMatchObject({ id, status: 'duplicate' });
      expect(await server.ctx.blobs.size(key)).toBe((await fsp.stat(file)).size);
    });

    it('has its held metadata job released when it died after storing the original', async () => {
      const other = photo('exif-samples/jpg/Nikon_D70.jpg');
      const first = await uploadFixture(server, user, other);
      const id = first.body.id;
      const key = blobKeys.original(user.id, id);
      const { db } = server.ctx.database;
      const jobsOf = () =>
        db
          .selectFrom('jobs')
          .select('status')
          .where('payload', '=', JSON.stringify({ assetId: id }))
          .execute();
      // What a process killed between the blob's move and the job's release leaves behind.
      await db
        .updateTable('jobs')
        .set({ status: 'held' })
        .where('payload', '=', JSON.stringify({ assetId: id }))
        .execute();
      expect((await jobsOf()).map((j) => j.status)).toEqual(['held']);

      const again = await uploadFixture(server, user, other);
      expect(again.body).toMatchObject({ id, status: 'duplicate' });
      expect(await server.ctx.blobs.size(key)).toBe((await fsp.stat(other)).size);
      expect((await jobsOf()).map((j) => j.status)).toEqual(['waiting']);
    });
  },
);
