import type { BatchReadyMessage } from '../messages/outputMessageTypes';

/** Port: asks the aggregator to aggregate a batch (the aggregation queue). */
export interface AggregationRequests {
  requestAggregation(message: BatchReadyMessage): Promise<void>;
}
