import type { BatchReadyMessage } from '../messages/outputMessageTypes';
import type { AggregationRequests } from '../ports/AggregationRequests';

/** An {@link AggregationRequests} that keeps the requests; `failNextRequests` makes calls reject. */
export class RecordingAggregationRequests implements AggregationRequests {
  public readonly requests: BatchReadyMessage[] = [];
  public failNextRequests = 0;

  public async requestAggregation(message: BatchReadyMessage): Promise<void> {
    if (this.failNextRequests > 0) {
      this.failNextRequests -= 1;
      throw new Error('injected aggregation request failure');
    }
    this.requests.push(message);
  }
}
