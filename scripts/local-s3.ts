/**
 * A local S3-compatible server (s3rver, from npm) as a process of its own, for running the test
 * suite on the scale-out configuration: `.ci/run` starts it in the background and hands its
 * endpoint to `npm test` as PIXELUNION_TEST_S3_ENDPOINT. Each test server makes its own bucket.
 *
 *   npx tsx scripts/local-s3.ts
 *
 * Listens on a free loopback port and prints `PIXELUNION_TEST_S3_ENDPOINT=http://127.0.0.1:<port>`
 * once it answers; stops, deleting every object it holds, on SIGTERM or SIGINT.
 */
import { startLocalS3 } from '../server/src/storage/s3rver.testing.js';

// startLocalS3 also makes s3rver's list tokens work on Node 20 (single DES, see there).
const s3 = await startLocalS3(['pixelunion-test']);
process.stdout.write(`PIXELUNION_TEST_S3_ENDPOINT=${s3.endpoint}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  s3.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`local-s3: ${String(error)}\n`);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
