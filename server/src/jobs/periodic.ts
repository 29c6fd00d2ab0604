import type { FastifyBaseLogger } from 'fastify';
import { assertDeclared, type PeriodicTaskName } from '../modules/privacy/privacy.register.js';

/**
 * Runs `task` now and then every `everyMs` until the returned stop is called. A failure is
 * logged and the next round runs as planned; rounds never overlap. Only tasks the processing
 * register declares may run: an undeclared name throws before the first round.
 */
export function runPeriodically(
  name: PeriodicTaskName,
  everyMs: number,
  task: () => Promise<unknown>,
  log: FastifyBaseLogger,
): () => Promise<void> {
  assertDeclared('periodic', name);
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
