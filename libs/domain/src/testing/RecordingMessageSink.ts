import type { MessageSink, OutboundMessage } from '../ports/MessageSink';

/** A {@link MessageSink} that keeps what it is sent; `failNextSends` makes the next calls reject. */
export class RecordingMessageSink implements MessageSink {
  public readonly messages: OutboundMessage[] = [];
  public failNextSends = 0;

  public async send(messages: readonly OutboundMessage[]): Promise<void> {
    if (this.failNextSends > 0) {
      this.failNextSends -= 1;
      throw new Error('injected send failure');
    }
    this.messages.push(...messages);
  }

  /** The bodies sent, parsed, in order. */
  public bodies(): unknown[] {
    return this.messages.map((message) => JSON.parse(message.body));
  }
}
