import type { Message } from '@aws-sdk/client-sqs';

/**
 * The body as JSON text: as sent when it is one JSON value (re-serialising it through
 * JSON.parse would round big amounts through binary floats), else as a JSON string.
 */
const bodyJson = (body: string): string => {
  try {
    JSON.parse(body);
    return body.replace(/\r?\n/g, ' ');
  } catch {
    return JSON.stringify(body);
  }
};

/**
 * One line of `tally tail`: the message's id, when it was sent, its message attributes and its
 * body, as one JSON object.
 *
 * @example
 * tailLineOf(message);
 * // '{"messageId":"…","sentAt":"2026-12-01T10:00:00.000Z","attributes":{"batch_id":"b1",…},"body":{"type":"customer_message",…}}'
 */
export const tailLineOf = (message: Message): string => {
  const sentAt = Number(message.Attributes?.SentTimestamp);
  const attributes = Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => [name, value.StringValue ?? value.BinaryValue?.toString() ?? null]),
  );
  return `{"messageId":${JSON.stringify(message.MessageId ?? '')},"sentAt":${
    Number.isFinite(sentAt) ? JSON.stringify(new Date(sentAt).toISOString()) : 'null'
  },"attributes":${JSON.stringify(attributes)},"body":${bodyJson(message.Body ?? '')}}`;
};
