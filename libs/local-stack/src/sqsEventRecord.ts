import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { SQSMessageAttribute, SQSRecord } from 'aws-lambda';

/**
 * Message attributes as Lambda writes them in an SQS event: camel-case keys, binary values as
 * base64, and the list fields always present.
 */
const lambdaMessageAttribute = (attribute: MessageAttributeValue): SQSMessageAttribute => ({
  ...(attribute.StringValue !== undefined && { stringValue: attribute.StringValue }),
  ...(attribute.BinaryValue !== undefined && {
    binaryValue: Buffer.from(attribute.BinaryValue).toString('base64'),
  }),
  stringListValues: attribute.StringListValues ?? [],
  binaryListValues: (attribute.BinaryListValues ?? []).map((value) =>
    Buffer.from(value).toString('base64'),
  ),
  dataType: (attribute.DataType ?? 'String') as SQSMessageAttribute['dataType'],
});

/**
 * One record of the SQSEvent Lambda's SQS event source mapping passes to a handler, built from a
 * message received with `AttributeNames: ['All']` and `MessageAttributeNames: ['All']`.
 *
 * @example
 * const event = { Records: messages.map((message) => sqsEventRecord(message, queueArn, 'us-east-1')) };
 */
export const sqsEventRecord = (
  message: Message,
  eventSourceARN: string,
  awsRegion: string,
): SQSRecord => {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? '',
      SenderId: attributes.SenderId ?? '',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? '',
      ...(attributes.AWSTraceHeader !== undefined && { AWSTraceHeader: attributes.AWSTraceHeader }),
      ...(attributes.MessageGroupId !== undefined && { MessageGroupId: attributes.MessageGroupId }),
      ...(attributes.MessageDeduplicationId !== undefined && {
        MessageDeduplicationId: attributes.MessageDeduplicationId,
      }),
      ...(attributes.SequenceNumber !== undefined && { SequenceNumber: attributes.SequenceNumber }),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, attribute]) => [
        name,
        lambdaMessageAttribute(attribute),
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes !== undefined && {
      md5OfMessageAttributes: message.MD5OfMessageAttributes,
    }),
    eventSource: 'aws:sqs',
    eventSourceARN,
    awsRegion,
  };
};
