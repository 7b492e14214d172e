import { randomBytes } from 'node:crypto';
import type { RequestFault } from '@tally/local-stack';

/** A fault answered in place of AWS: what a throttled or failing service really sends back. */
export type AwsErrorResponse = Extract<RequestFault, { type: 'respond' }>;

const requestId = () => randomBytes(16).toString('hex').toUpperCase();

const json = (
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
): AwsErrorResponse => ({
  type: 'respond',
  status,
  headers: {
    'content-type': 'application/x-amz-json-1.0',
    'x-amzn-requestid': requestId(),
    ...headers,
  },
  body: JSON.stringify({ __type: type, message }),
});

/**
 * SQS speaks JSON but keeps its old Query error codes in `x-amzn-query-error`
 * (`<code>;<Sender|Receiver>`); the SDK reads the code from there.
 */
const sqsJson = (status: number, code: string, fault: 'Sender' | 'Receiver', message: string) =>
  json(status, `com.amazonaws.sqs#${code}`, message, {
    'x-amzn-query-error': `${code};${fault}`,
  });

const s3Xml = (status: number, code: string, message: string): AwsErrorResponse => {
  const id = requestId().slice(0, 16);
  const hostId = randomBytes(48).toString('base64');
  return {
    type: 'respond',
    status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': id, 'x-amz-id-2': hostId },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${id}</RequestId><HostId>${hostId}</HostId></Error>`,
  };
};

/**
 * The error responses the suite injects, as AWS sends them (status, headers, body). Every one
 * is retryable: the SDK's standard retry strategy retries throttling codes and 5xx statuses
 * itself (3 attempts), so most are absorbed; what is left fails the invocation.
 *
 * @example
 * AWS_ERRORS.dynamodb.provisionedThroughputExceeded(); // { type: 'respond', status: 400, ... }
 */
export const AWS_ERRORS = {
  dynamodb: {
    provisionedThroughputExceeded: () =>
      json(
        400,
        'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
        'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
      ),
    throttling: () =>
      json(
        400,
        'com.amazon.coral.availability#ThrottlingException',
        'Rate of requests exceeds the allowed throughput.',
      ),
    internalServerError: () =>
      json(500, 'com.amazonaws.dynamodb.v20120810#InternalServerError', 'Internal server error'),
  },
  sqs: {
    internalError: () =>
      sqsJson(
        500,
        'InternalError',
        'Receiver',
        'We encountered an internal error. Please try again.',
      ),
    throttling: () => sqsJson(400, 'ThrottlingException', 'Sender', 'Rate exceeded'),
  },
  s3: {
    slowDown: () => s3Xml(503, 'SlowDown', 'Please reduce your request rate.'),
    internalError: () =>
      s3Xml(500, 'InternalError', 'We encountered an internal error. Please try again.'),
  },
} as const;
