/**
 * Observes how far the reading of a batch file has come, e.g. to draw a progress line.
 * `advance` is called often (per chunk of records read); implementations throttle what they draw.
 */
export interface ReadProgress {
  start(file: string, totalBytes: number): void;
  advance(bytesRead: number, recordsRead: number): void;
  end(): void;
}
