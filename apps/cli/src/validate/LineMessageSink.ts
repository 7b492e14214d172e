import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { MessageSink, OutboundMessage } from '@tally/domain';

/**
 * A {@link MessageSink} that writes each message body as one line, e.g. to stdout. Bodies are
 * single-line JSON, written exactly as the pipeline would send them (never re-serialised, which
 * would round amounts through binary floats). Waits for `drain`, so a slow reader of a large
 * output holds the check back instead of filling memory.
 *
 * @example
 * ```ts
 * await new LineMessageSink(process.stdout).send([outboundMessageOf({ batchId: 'b1', revision: 1 }, message)]);
 * ```
 */
export class LineMessageSink implements MessageSink {
  constructor(private readonly out: Writable) {}

  async send(messages: readonly OutboundMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const lines = messages.map((message) => `${message.body}\n`).join('');
    if (!this.out.write(lines)) await once(this.out, 'drain');
  }
}
