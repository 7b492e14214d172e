import type { IngestContinuationMessage, IngestContinuations } from '../ports/IngestContinuations';

/** An {@link IngestContinuations} that keeps the messages; `failNextSends` makes calls reject. */
export class RecordingIngestContinuations implements IngestContinuations {
  public readonly messages: IngestContinuationMessage[] = [];
  public failNextSends = 0;

  public async continueIngest(message: IngestContinuationMessage): Promise<void> {
    if (this.failNextSends > 0) {
      this.failNextSends -= 1;
      throw new Error('injected continuation send failure');
    }
    this.messages.push(message);
  }
}
