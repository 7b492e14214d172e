import type { OutputMessage } from '../messages/outputMessageTypes';

/**
 * A message ready for the output queue: body text plus the attributes consumers filter and
 * de-duplicate on. An aggregation's messages carry their batch `revision`; ingest's messages
 * about an upload carry its `objectKey` and `objectVersion`.
 */
export interface OutboundMessage {
  readonly batchId: string;
  readonly type: OutputMessage['type'];
  /** Stable: the same message gets the same id on any re-run, so consumers can de-duplicate. */
  readonly id: string;
  readonly body: string;
  readonly revision?: number;
  readonly objectKey?: string;
  readonly objectVersion?: string;
}

/**
 * Port: delivers messages to the output queue. `send` resolves only when every message was
 * accepted (adapters retry the entries that failed) and rejects otherwise; delivery is
 * at-least-once, so a retried call may deliver some messages twice, with the same id.
 */
export interface MessageSink {
  send(messages: readonly OutboundMessage[]): Promise<void>;
}
