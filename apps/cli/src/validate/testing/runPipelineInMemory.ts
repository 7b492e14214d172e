import { aggregateBatch, BATCH_MANIFEST_FILE, batchKeyOf, ingestFile } from '@tally/domain';
import type { IngestSettings } from '@tally/domain';
import {
  InMemoryObjectSource,
  InMemoryStagingStore,
  RecordingAggregationRequests,
  RecordingMessageSink,
} from '@tally/domain/testing';
import { createBatchManifestValidator, createRowValidators } from '@tally/schema';

/** The clock of the run: staged rows never expire during it. */
const NOW = 1_700_000_000_000;

/**
 * Runs the pipeline's own use cases (`ingestFile`, then `aggregateBatch` for every revision it
 * asks for) on in-memory ports, with the files of a batch folder uploaded one after the other as
 * `tally validate` takes them: `_manifest.json` first, then the `.csv` files in name order.
 * Returns the bodies of the `error_message`s sent, in the order sent.
 *
 * @example
 * ```ts
 * const bodies = await runPipelineInMemory('b1', { 'customers.csv': '…' }, settings);
 * ```
 */
export const runPipelineInMemory = async (
  batchId: string,
  files: Readonly<Record<string, string>>,
  settings: IngestSettings,
): Promise<string[]> => {
  const source = new InMemoryObjectSource(4096);
  const store = new InMemoryStagingStore({ now: () => NOW });
  const sink = new RecordingMessageSink();
  const aggregation = new RecordingAggregationRequests();
  const dependencies = {
    source,
    store,
    sink,
    aggregation,
    validators: createRowValidators(),
    manifestValidator: createBatchManifestValidator(),
  };
  const names = Object.keys(files)
    .filter((name) => name.endsWith('.csv'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const uploads = BATCH_MANIFEST_FILE in files ? [BATCH_MANIFEST_FILE, ...names] : names;
  for (const name of uploads) {
    const location = source.put(batchKeyOf(settings.inputPrefix, batchId, name), files[name] ?? '');
    await ingestFile(location, dependencies, settings, { now: () => NOW });
  }
  for (const [index, request] of aggregation.requests.entries()) {
    await aggregateBatch(
      {
        batchId,
        revision: request.revision,
        owner: `request-${index}`,
        attempt: `request-${index}`,
      },
      { store, sink, requests: new RecordingAggregationRequests() },
      { maxRowErrors: settings.maxRowErrors },
      { remainingTimeMs: () => 900_000, now: () => NOW },
    );
  }
  return sink.messages
    .filter((message) => message.type === 'error_message')
    .map((message) => message.body);
};
