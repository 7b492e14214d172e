import { createSeededRandom } from '../generate/seededRandom';
import { AtLeastOnceQueue } from './AtLeastOnceQueue';
import type { QueueDelivery } from './AtLeastOnceQueue';

const drain = <T>(queue: AtLeastOnceQueue<T>): QueueDelivery<T>[] => {
  const deliveries: QueueDelivery<T>[] = [];
  for (let next = queue.receive(); next !== undefined; next = queue.receive())
    deliveries.push(next);
  return deliveries;
};

const filled = (seed?: number, duplicateShare = 0.3) => {
  const queue = new AtLeastOnceQueue<number>(
    seed === undefined ? undefined : { random: createSeededRandom(seed), duplicateShare },
  );
  for (let body = 0; body < 50; body += 1) queue.send(body);
  return queue;
};

describe('AtLeastOnceQueue', () => {
  it('delivers in order, each message once, without a delivery setting', () => {
    const deliveries = drain(filled());
    expect(deliveries.map((delivery) => delivery.body)).toEqual([...Array(50).keys()]);
    expect(deliveries.some((delivery) => delivery.redelivery)).toBe(false);
  });

  it('delivers every message, out of order, some twice with the same id and body', () => {
    const deliveries = drain(filled(7));
    const first = deliveries.filter((delivery) => !delivery.redelivery);
    const again = deliveries.filter((delivery) => delivery.redelivery);
    expect(first.map((delivery) => delivery.body).sort((a, b) => a - b)).toEqual([
      ...Array(50).keys(),
    ]);
    expect(first.map((delivery) => delivery.body)).not.toEqual([...Array(50).keys()]);
    expect(again.length).toBeGreaterThan(0);
    expect(again.length).toBeLessThan(50);
    for (const copy of again) {
      const original = first.find((delivery) => delivery.messageId === copy.messageId);
      expect(original?.body).toBe(copy.body);
      expect(deliveries.indexOf(copy)).toBeGreaterThan(deliveries.indexOf(original as never));
    }
  });

  it('delivers the same way for the same seed', () => {
    expect(drain(filled(7))).toEqual(drain(filled(7)));
    expect(drain(filled(7))).not.toEqual(drain(filled(8)));
  });

  it('delivers each message once, in any order, with a duplicate share of 0', () => {
    const deliveries = drain(filled(7, 0));
    expect(deliveries).toHaveLength(50);
    expect(new Set(deliveries.map((delivery) => delivery.messageId)).size).toBe(50);
  });
});
