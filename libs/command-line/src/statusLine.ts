import type { CommandIo } from './CommandIo';

/** One line of progress that redraws itself in place. */
export interface StatusLine {
  /** Replaces the line's text; redrawn at most once per interval. */
  show(text: string): void;
  /** Erases the line, so the next output starts on a clean one. */
  clear(): void;
}

const SILENT: StatusLine = { show: () => undefined, clear: () => undefined };

/**
 * A progress line on `stream` when it is a terminal, and nothing otherwise: in a log file or a
 * pipe the carriage returns would be noise. Redraws at most once per `intervalMs` (default 250).
 *
 * @example
 * ```ts
 * const progress = statusLineOn(io.stderr);
 * progress.show(`${drained} messages drained`);
 * progress.clear();
 * ```
 */
export const statusLineOn = (
  stream: CommandIo['stderr'],
  { intervalMs = 250, now = () => performance.now() } = {},
): StatusLine => {
  if (!stream.isTTY) return SILENT;
  let drawnAt = -Infinity;
  let drawn = false;
  return {
    show: (text) => {
      const at = now();
      if (at - drawnAt < intervalMs) return;
      drawnAt = at;
      drawn = true;
      stream.write(`\r\x1b[K${text}`);
    },
    clear: () => {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
      drawnAt = -Infinity;
    },
  };
};
