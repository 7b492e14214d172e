// Child process of the bench (bundled by esbuild, run by plain `node`, so no loader skews its
// memory): runs ingest's compute path over one items file and prints one JSON line
// `{ rows, chunks, ms, maxRssBytes }`. Usage: node probe.js <items.csv>
import { createReadStream } from 'node:fs';
import type { StagedRowsChunk } from '@tally/domain';
import { readCsvRecordBatches, StagedChunkBuilder, validateRecordBatches } from '@tally/domain';
import { createRowValidators } from '@tally/schema';
import { DYNAMODB_MAX_CHUNK_BYTES } from '@tally/aws-clients';

/** Like ingest: 25 chunks pending and 25 in flight at most, then dropped once "written". */
const CHUNKS_PER_PUT = 25;
const MAX_LINE_BYTES = 1_048_576;
const MAX_ROW_ERRORS = 1_000;

const main = async (path: string): Promise<void> => {
  const started = performance.now();
  const builder = new StagedChunkBuilder('items', { maxChunkBytes: DYNAMODB_MAX_CHUNK_BYTES });
  let pending: StagedRowsChunk[] = [];
  let inFlight: StagedRowsChunk[] = [];
  let chunks = 0;
  const stage = (chunk: StagedRowsChunk): void => {
    chunks++;
    pending.push(chunk);
    if (pending.length >= CHUNKS_PER_PUT) {
      inFlight = pending;
      pending = [];
    }
  };
  const batches = validateRecordBatches({
    kind: 'items',
    file: 'items.csv',
    records: readCsvRecordBatches(createReadStream(path), { maxLineBytes: MAX_LINE_BYTES }),
    validators: createRowValidators(),
    maxRowErrors: MAX_ROW_ERRORS,
  });
  let next = await batches.next();
  for (; !next.done; next = await batches.next()) {
    for (const row of next.value.rows) {
      const full = builder.add(row);
      if (full) stage(full);
    }
  }
  const last = builder.flush();
  if (last) stage(last);
  const retained = pending.length + inFlight.length;
  process.stdout.write(
    `${JSON.stringify({
      rows: next.value.rowsRead,
      chunks,
      retained,
      ms: performance.now() - started,
      // resourceUsage reports kilobytes.
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
    })}\n`,
  );
};

main(process.argv[2] ?? '').catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
