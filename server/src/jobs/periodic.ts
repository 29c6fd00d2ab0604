import type { FastifyBaseLogger } from 'fastify';

/**
 * Runs `task` now and then every `everyMs` until the returned stop is called. A failure is
 * logged and the next round runs as planned; rounds never overlap.
 */
export function runPeriodically(
  name: string,
  everyMs: number,
  task: () => Promise<unknown>,
  log: FastifyBaseLogger,
): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  const round = () => {
    running = task().then(
      (result) => {
        log.debug({ task: name, result }, 'periodic task done');
      },
      (error: unknown) => {
        log.error({ task: name, err: error }, 'periodic task failed');
      },
    );
  };
  round();
  const timer = setInterval(() => {
    void running.then(round);
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
