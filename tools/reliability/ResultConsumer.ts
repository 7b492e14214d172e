import type { OutputMessage } from '@tally/local-stack';

/** A `batch_summary` as a consumer reads it. */
export interface ConsumedSummary {
  readonly revision: number;
  readonly files: readonly { readonly object_key: string; readonly object_version: string }[];
  readonly customer_messages: number;
  readonly error_messages: number;
}

/** What a consumer holds of one batch. */
export interface ConsumedBatch {
  /** The summary of the newest revision received, if any. */
  readonly summary?: ConsumedSummary;
  /** When SQS accepted that summary, epoch ms. */
  readonly summarySentAt?: number;
  /** Per customer, the body of the message with the highest revision received, and that revision. */
  readonly customers: ReadonlyMap<string, { readonly revision: number; readonly body: string }>;
  /** Aggregation error bodies, per revision. */
  readonly errorsByRevision: ReadonlyMap<number, ReadonlySet<string>>;
  /** Ingest error bodies, per upload (`<object key>\0<object version>`). */
  readonly errorsByUpload: ReadonlyMap<string, ReadonlySet<string>>;
}

interface MutableBatch {
  summary?: ConsumedSummary;
  summarySentAt?: number;
  customers: Map<string, { revision: number; body: string }>;
  errorsByRevision: Map<number, Set<string>>;
  errorsByUpload: Map<string, Set<string>>;
}

const CUSTOMER_PREFIX = '{"type":"customer_message"';

/**
 * A consumer of the output queue that follows the README's rule: it de-duplicates on the
 * `message_id` attribute for ever, applies messages in the order it receives them, and keeps,
 * per batch and customer, the message of the highest `batch_revision`; a batch's result is the
 * customers whose kept revision is that of the newest `batch_summary` received. Bodies are kept
 * as text, so amounts are never rounded through a double.
 *
 * @example
 * const consumer = new ResultConsumer();
 * for (const message of await stack.readOutputMessagesWithAttributes()) consumer.receive(message);
 * consumer.resultOf('2024-06-01'); // the customer messages of the latest revision
 */
export class ResultConsumer {
  /** Deliveries of a message id already applied, with the same body: allowed, counted. */
  public duplicates = 0;
  /** Problems no consumer should ever meet: an id with two bodies, a message without an id. */
  public readonly anomalies: string[] = [];
  private readonly bodyOfId = new Map<string, string>();
  private readonly batches = new Map<string, MutableBatch>();

  /** Applies one message, in the order received. */
  public receive(message: OutputMessage): void {
    const id = message.attributes['message_id'];
    if (id === undefined || id === '') {
      this.anomalies.push(`message without a message_id attribute: ${message.body.slice(0, 120)}`);
      return;
    }
    const seen = this.bodyOfId.get(id);
    if (seen !== undefined) {
      if (seen === message.body) this.duplicates += 1;
      else this.anomalies.push(`message_id ${id} carries two bodies: ${seen} / ${message.body}`);
      return;
    }
    this.bodyOfId.set(id, message.body);
    const batch = this.batchOf(message.attributes['batch_id'] ?? '');
    const revisionText = message.attributes['batch_revision'];
    const revision = revisionText === undefined ? undefined : Number(revisionText);
    const type = message.attributes['message_type'];
    if (type === 'batch_summary') {
      const summary = JSON.parse(message.body) as ConsumedSummary;
      if (batch.summary === undefined || summary.revision > batch.summary.revision) {
        batch.summary = summary;
        batch.summarySentAt = message.sentAt;
      }
    } else if (type === 'customer_message' && message.body.startsWith(CUSTOMER_PREFIX)) {
      const reference = (JSON.parse(message.body) as { customer_reference: string })
        .customer_reference;
      const kept = batch.customers.get(reference);
      if (revision === undefined)
        this.anomalies.push(`customer message without a revision: ${message.body}`);
      else if (kept === undefined || kept.revision < revision)
        batch.customers.set(reference, { revision, body: message.body });
    } else if (type === 'error_message') {
      const upload = message.attributes['object_key'];
      if (revision !== undefined) addTo(batch.errorsByRevision, revision, message.body);
      else if (upload !== undefined)
        addTo(
          batch.errorsByUpload,
          `${upload}\0${message.attributes['object_version'] ?? ''}`,
          message.body,
        );
      else
        this.anomalies.push(`error message with neither a revision nor an upload: ${message.body}`);
    } else {
      this.anomalies.push(`message of no known type: ${message.body.slice(0, 120)}`);
    }
  }

  /** What the consumer holds of a batch (empty if it received nothing of it). */
  public batch(batchId: string): ConsumedBatch {
    return this.batchOf(batchId);
  }

  /** The batch ids it received messages of. */
  public batchIds(): string[] {
    return [...this.batches.keys()];
  }

  /**
   * The batch's result as the README's rule reads it: the bodies of the customers whose kept
   * message has the revision of the newest summary received.
   */
  public resultOf(batchId: string): string[] {
    const batch = this.batchOf(batchId);
    const latest = batch.summary?.revision;
    return [...batch.customers.values()]
      .filter((kept) => kept.revision === latest)
      .map((kept) => kept.body);
  }

  private batchOf(batchId: string): MutableBatch {
    let batch = this.batches.get(batchId);
    if (batch === undefined) {
      batch = { customers: new Map(), errorsByRevision: new Map(), errorsByUpload: new Map() };
      this.batches.set(batchId, batch);
    }
    return batch;
  }
}

const addTo = <K>(map: Map<K, Set<string>>, key: K, body: string): void => {
  let bodies = map.get(key);
  if (bodies === undefined) {
    bodies = new Set();
    map.set(key, bodies);
  }
  bodies.add(body);
};
