import type { BatchReadyMessage } from '@tally/domain';
import type { MeteredRequest } from '@tally/local-stack';

/**
 * The `batch_ready` request a request sends to the aggregation queue at `queueUrl`, if it is a
 * `SendMessage` there: ingest's request for a new revision, or (with `lease_owner`) an
 * aggregator's continuation. `undefined` for any other request.
 *
 * @example
 * const ready = aggregationRequestOf(request, stack.resources.queues.aggregation.url);
 * if (ready?.batch_id === batchId && ready.lease_owner === undefined) moveClock();
 */
export const aggregationRequestOf = (
  request: MeteredRequest,
  queueUrl: string,
): BatchReadyMessage | undefined => {
  if (request.operation !== 'SQS.SendMessage') return undefined;
  const call = JSON.parse(request.body.toString('utf8')) as {
    QueueUrl?: string;
    MessageBody?: string;
  };
  if (call.QueueUrl !== queueUrl || call.MessageBody === undefined) return undefined;
  return JSON.parse(call.MessageBody) as BatchReadyMessage;
};
