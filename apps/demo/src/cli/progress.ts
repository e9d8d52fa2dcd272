import cliProgress from 'cli-progress';
import type { Terminal } from './terminal';

/** A progress display: a live bar on a TTY, a few plain lines elsewhere (logs, tests). */
export interface Progress {
  update(completed: number, detail: string): void;
  stop(): void;
}

/** Creates a progress display for `total` items. */
export function createProgress(terminal: Terminal, total: number, label: string): Progress {
  if (terminal.isTTY && terminal.stream) {
    const bar = new cliProgress.SingleBar(
      { format: `  ${label} {bar} {value}/{total}  {detail}`, stream: terminal.stream, hideCursor: true, clearOnComplete: false, barsize: 30 },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { detail: '' });
    return {
      update: (completed, detail) => bar.update(completed, { detail }),
      stop: () => bar.stop(),
    };
  }
  // Plain output: one line at each quarter, so logs stay short.
  let nextMark = 0.25;
  return {
    update(completed, detail) {
      if (total === 0 || completed / total < nextMark) return;
      while (nextMark <= completed / total) nextMark += 0.25;
      terminal.line(`  ${label} ${completed}/${total}  ${detail}`);
    },
    stop: () => undefined,
  };
}
