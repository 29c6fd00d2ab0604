import cliProgress from 'cli-progress';

/** What a long command shows while it works: a bar on a terminal, else a line now and then. */
export interface ProgressDisplay {
  /**
   * A bar (or line) of `value` out of `total`. A new `phase` starts a new bar; `detail` (which
   * part, say) is shown beside it; `unit` says how to show the numbers.
   */
  update(phase: string, detail: string, value: number, total: number, unit: Unit): void;
  /** A message of its own, above the bar. */
  message(line: string): void;
  /** A step the bar shows by itself (which part is sent): a line only when there is no bar. */
  step(line: string): void;
  stop(): void;
}

type Unit = 'bytes' | 'files';

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
const amount = (value: number, total: number, unit: Unit) =>
  unit === 'bytes' ? `${mb(value)}/${mb(total)} MB` : `${value}/${total} files`;

/** Progress on `stream`: a cli-progress bar when `bar`, else plain lines at most every `everyMs`. */
export function progressDisplay(
  stream: NodeJS.WriteStream,
  options: { bar: boolean; everyMs?: number },
): ProgressDisplay {
  return options.bar ? barDisplay(stream) : lineDisplay(stream, options.everyMs ?? 2000);
}

function barDisplay(stream: NodeJS.WriteStream): ProgressDisplay {
  let bar: cliProgress.SingleBar | null = null;
  let shown = '';
  const stop = () => {
    bar?.stop();
    bar = null;
    shown = '';
  };
  return {
    update(phase, detail, value, total, unit) {
      const key = `${phase}\u0000${unit}`;
      const payload = { phase, detail, amount: amount(value, total, unit) };
      if (bar && shown === key) {
        bar.setTotal(Math.max(total, 1));
        bar.update(value, payload);
        return;
      }
      stop();
      bar = new cliProgress.SingleBar(
        {
          format: `{phase} [{bar}] {percentage}% | {amount}${unit === 'bytes' ? ' | {eta_formatted} left' : ''} {detail}`,
          stream,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      );
      shown = key;
      bar.start(Math.max(total, 1), value, payload);
    },
    message(line) {
      stop();
      stream.write(`${line}\n`);
    },
    step: () => undefined,
    stop,
  };
}

function lineDisplay(stream: NodeJS.WriteStream, everyMs: number): ProgressDisplay {
  let shown = '';
  let lastAt = 0;
  let lastLine = '';
  return {
    update(phase, detail, value, total, unit) {
      const label = detail ? `${phase} ${detail}` : phase;
      const line = `${label}: ${amount(value, total, unit)}`;
      const now = Date.now();
      // A new label at once; the same one when it changed and time has passed, or at its end.
      if (label === shown && (line === lastLine || (now - lastAt < everyMs && value < total))) {
        return;
      }
      shown = label;
      lastAt = now;
      lastLine = line;
      stream.write(`${line}\n`);
    },
    message(line) {
      stream.write(`${line}\n`);
    },
    step(line) {
      stream.write(`${line}\n`);
    },
    stop: () => undefined,
  };
}
