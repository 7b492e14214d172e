import type { MeteredRequest } from '@tally/local-stack';

/** One message of a SendMessageBatch call, as the functions asked SQS to send it. */
export interface OutputEntry {
  readonly batchId?: string;
  /** The `batch_revision` attribute: present on an aggregation's messages only. */
  readonly revision?: number;
  readonly type?: string;
  readonly body: string;
}

interface SendMessageBatchCall {
  readonly QueueUrl?: string;
  readonly Entries?: readonly {
    readonly MessageBody?: string;
    readonly MessageAttributes?: Readonly<Record<string, { readonly StringValue?: string }>>;
  }[];
}

/**
 * The messages a request sends to the queue at `queueUrl`, if it is a `SendMessageBatch` there
 * (SQS's JSON protocol, as the SDK speaks it); `undefined` for any other request. Scenarios use
 * it to watch an aggregation's sends as they are made.
 *
 * @example
 * const entries = outputEntriesOf(request, stack.resources.queues.output.url);
 * const aggregated = entries?.filter((entry) => entry.revision !== undefined).length ?? 0;
 */
export const outputEntriesOf = (
  request: MeteredRequest,
  queueUrl: string,
): OutputEntry[] | undefined => {
  if (request.operation !== 'SQS.SendMessageBatch') return undefined;
  const call = JSON.parse(request.body.toString('utf8')) as SendMessageBatchCall;
  if (call.QueueUrl !== queueUrl) return undefined;
  return (call.Entries ?? []).map((entry) => {
    const attribute = (name: string) => entry.MessageAttributes?.[name]?.StringValue;
    const revision = attribute('batch_revision');
    const batchId = attribute('batch_id');
    const type = attribute('message_type');
    return {
      ...(batchId !== undefined && { batchId }),
      ...(revision !== undefined && { revision: Number(revision) }),
      ...(type !== undefined && { type }),
      body: entry.MessageBody ?? '',
    };
  });
};
