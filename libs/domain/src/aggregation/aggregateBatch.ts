import { BatchAggregation } from './BatchAggregation';
import { combinationOf } from '../ingest/combinationOf';
import { outboundMessageOf } from '../messages/outboundMessageOf';
import type { BatchReadyMessage } from '../messages/outputMessageTypes';
import type { MessageSink, OutboundMessage } from '../ports/MessageSink';
import type { StagingStore } from '../ports/StagingStore';
import { decodeStagedRows } from '../staging/stagedRowCodec';

/** The ports aggregation works through. */
export interface AggregateDependencies {
  readonly store: StagingStore;
  readonly sink: MessageSink;
}

/** Who is aggregating, and for how long others should leave it alone. */
export interface AggregationLease {
  /**
   * The request being handled, stable across its retries (the SQS message id), so the retry
   * of a holder that crashed takes its lease over at once.
   */
  readonly owner: string;
  /** Epoch ms now. */
  readonly now: number;
  /** How long this attempt may take; past it, another request may take over. */
  readonly durationMs: number;
}

/** Messages handed to the sink per call: bounds memory for very large batches. */
const MESSAGES_PER_SEND = 1_000;

/** What happened to one "batch ready" request. */
export type AggregateOutcome =
  | {
      readonly status: 'aggregated';
      readonly batchId: string;
      readonly customerMessages: number;
      readonly errorMessages: number;
    }
  /** The request names files that are no longer the batch's current ones: a newer request follows. */
  | { readonly status: 'stale'; readonly batchId: string }
  /** This combination was aggregated before (the request was delivered twice). */
  | { readonly status: 'already-aggregated'; readonly batchId: string }
  /** Another request for the same combination is being aggregated right now. */
  | { readonly status: 'in-progress'; readonly batchId: string };

/**
 * Aggregates a batch whose three files are staged: joins customers, orders and items (a hash
 * join, linear in rows), sends one `customer_message` per accepted customer and one
 * `error_message` per orphan order or item, then records the combination as aggregated.
 *
 * Tolerates duplicate, concurrent and stale requests. If it fails half-way, the retry sends every message
 * again with the same ids, so consumers that de-duplicate on `message_id` see each once.
 *
 * @example
 * const outcome = await aggregateBatch(request, { store, sink });
 */
export const aggregateBatch = async (
  request: BatchReadyMessage,
  dependencies: AggregateDependencies,
  lease: AggregationLease,
): Promise<AggregateOutcome> => {
  const { store, sink } = dependencies;
  const batchId = request.batch_id;
  const combination = combinationOf(request.files);
  const manifest = await store.readManifest(batchId);
  const { customers, orders, items } = manifest?.files ?? {};
  if (
    !manifest ||
    !customers ||
    !orders ||
    !items ||
    combinationOf({ customers, orders, items }) !== combination
  ) {
    return { status: 'stale', batchId };
  }
  if (manifest.aggregatedCombination === combination)
    return { status: 'already-aggregated', batchId };
  // Two deliveries of one request may run at once; the lease lets one aggregate, the other
  // acknowledges. If the holder dies, its own retry (same owner) or the lease's expiry frees it.
  const leased = await store.leaseAggregation(
    batchId,
    combination,
    lease.owner,
    lease.now,
    lease.now + lease.durationMs,
  );
  if (!leased) return { status: 'in-progress', batchId };

  const aggregation = new BatchAggregation({
    batchId,
    files: { customers: customers.file, orders: orders.file, items: items.file },
  });
  for await (const text of store.readChunks(batchId, 'customers', request.files.customers)) {
    aggregation.addCustomers(decodeStagedRows('customers', text));
  }
  for await (const text of store.readChunks(batchId, 'orders', request.files.orders)) {
    aggregation.addOrders(decodeStagedRows('orders', text));
  }
  for await (const text of store.readChunks(batchId, 'items', request.files.items)) {
    aggregation.addStagedItems(text);
  }
  const result = aggregation.finish();

  const outbound: OutboundMessage[] = [];
  for (const message of [...result.customers, ...result.errors]) {
    outbound.push(outboundMessageOf(batchId, message));
    if (outbound.length === MESSAGES_PER_SEND) await sink.send(outbound.splice(0));
  }
  await sink.send(outbound);
  await store.markAggregated(batchId, combination);
  return {
    status: 'aggregated',
    batchId,
    customerMessages: result.customers.length,
    errorMessages: result.errors.length,
  };
};
