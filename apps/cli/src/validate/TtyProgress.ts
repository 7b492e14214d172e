import type { ReadProgress } from './ReadProgress';

const MEBIBYTE = 1024 * 1024;

/**
 * Draws one self-overwriting line of reading progress on a terminal: MB read of the file's
 * size, rows read, and rows and MB per second since the file started. Redraws at most once per
 * `intervalMs`; `end` erases the line so the summary starts on a clean one. Meant for a TTY
 * only: in a log file the carriage returns would be noise.
 *
 * @example
 * ```ts
 * const progress = process.stderr.isTTY ? new TtyProgress(process.stderr) : undefined;
 * ```
 */
export class TtyProgress implements ReadProgress {
  private file = '';
  private totalBytes = 0;
  private startedAt = 0;
  private drawnAt = 0;

  constructor(
    private readonly out: { write(text: string): unknown },
    private readonly now: () => number = () => performance.now(),
    private readonly intervalMs = 250,
  ) {}

  start(file: string, totalBytes: number): void {
    this.file = file;
    this.totalBytes = totalBytes;
    this.startedAt = this.now();
    this.drawnAt = this.startedAt;
  }

  advance(bytesRead: number, recordsRead: number): void {
    const now = this.now();
    if (now - this.drawnAt < this.intervalMs) return;
    this.drawnAt = now;
    const seconds = (now - this.startedAt) / 1000;
    const percent = this.totalBytes > 0 ? Math.floor((bytesRead / this.totalBytes) * 100) : 100;
    this.out.write(
      `\r\x1b[K${this.file}: ${(bytesRead / MEBIBYTE).toFixed(1)} of ${(this.totalBytes / MEBIBYTE).toFixed(1)} MB (${percent}%), ` +
        `${recordsRead.toLocaleString('en-US')} rows, ` +
        `${Math.round(recordsRead / seconds).toLocaleString('en-US')} rows/s, ` +
        `${(bytesRead / MEBIBYTE / seconds).toFixed(1)} MB/s`,
    );
  }

  end(): void {
    if (this.drawnAt > this.startedAt) this.out.write('\r\x1b[K');
  }
}
