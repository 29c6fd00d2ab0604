import type { FastifyBaseLogger } from 'fastify';
import { assertDeclared, type PeriodicTaskName } from '../modules/privacy/privacy.register.js';

/** The schedule worker processes share (PeriodicRepo): who runs a round, and when the next is due. */
export interface PeriodicSchedule {
  claim(name: string, now: number, nextRunAt: number): Promise<boolean>;
  ranAt(name: string, nextRunAt: number): Promise<void>;
}

/**
 * Runs `task` now and then every `everyMs` until the returned stop is called. A failure is
 * logged and the next round runs as planned; rounds never overlap. Only tasks the processing
 * register declares may run: an undeclared name throws before the first round.
 *
 * With a `schedule`, later rounds run in one of the processes that share it, not in each: the
 * first to claim a due round runs it. The round at start always runs (a restarted worker finishes
 * what a crash left, such as an erasure half done) and sets the next due time.
 */
export function runPeriodically(
  name: PeriodicTaskName,
  everyMs: number,
  task: () => Promise<unknown>,
  log: FastifyBaseLogger,
  schedule?: PeriodicSchedule,
): () => Promise<void> {
  assertDeclared('periodic', name);
  let running: Promise<void> = Promise.resolve();
  const round = async (first: boolean) => {
    const now = Date.now();
    if (schedule && first) await schedule.ranAt(name, now + everyMs);
    else if (schedule && !(await schedule.claim(name, now, now + everyMs))) {
      log.debug({ task: name }, 'periodic task ran in another process');
      return;
    }
    const result = await task();
    log.debug({ task: name, result }, 'periodic task done');
  };
  const start = (first: boolean) => {
    running = round(first).catch((error: unknown) => {
      log.error({ task: name, err: error }, 'periodic task failed');
    });
  };
  start(true);
  const timer = setInterval(() => {
    void running.then(() => {
      start(false);
    });
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
