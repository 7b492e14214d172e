import type { SeededRandom } from '../generate/seededRandom';

/** One delivery of a queued message: the id SQS gave it, the same on each of its deliveries. */
export interface QueueDelivery<T> {
  readonly messageId: string;
  readonly body: T;
  /** True on the second delivery of a message. */
  readonly redelivery: boolean;
}

/** How a {@link AtLeastOnceQueue} delivers. */
export interface AtLeastOnceDelivery {
  /** Picks the next message and which ones come twice; the same seed, the same deliveries. */
  readonly random: SeededRandom;
  /** Share of messages (0 to 1) delivered a second time, some time after the first. */
  readonly duplicateShare: number;
}

/**
 * An in-memory queue that delivers as a standard SQS queue may: in any order, and some messages
 * twice, with the same message id, the second delivery at any later point. Without `delivery`
 * it is the gentle case: first in, first out, each message once. Deterministic either way, so
 * a failing run can be replayed from its seed.
 *
 * @example
 * const queue = new AtLeastOnceQueue<string>({ random: createSeededRandom(7), duplicateShare: 0.2 });
 * queue.send('a');
 * for (let next = queue.receive(); next !== undefined; next = queue.receive()) handle(next);
 */
export class AtLeastOnceQueue<T> {
  private readonly waiting: { readonly delivery: QueueDelivery<T>; readonly again: boolean }[] = [];
  private sent = 0;

  public constructor(private readonly delivery?: AtLeastOnceDelivery) {}

  /** Queues `body` under a new message id. */
  public send(body: T): void {
    this.sent += 1;
    const again = this.delivery?.random.chance(this.delivery.duplicateShare) ?? false;
    const delivery = { messageId: `message-${this.sent}`, body, redelivery: false };
    this.waiting.push({ delivery, again });
  }

  /** The next delivery, or `undefined` once nothing is waiting. */
  public receive(): QueueDelivery<T> | undefined {
    const index = this.delivery ? this.delivery.random.below(this.waiting.length) : 0;
    const [next] = this.waiting.splice(index, 1);
    if (next === undefined) return undefined;
    if (next.again) {
      // The copy waits among the others, so it may come right after the first or much later.
      this.waiting.push({ delivery: { ...next.delivery, redelivery: true }, again: false });
    }
    return next.delivery;
  }
}
