import { request as httpRequest, Agent, createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './localAwsClients';
import { objectCreationRequest } from './objectCreationRequest';
import type { ObjectCreationRequest } from './objectCreationRequest';
import { createS3Sequencer } from './s3Sequencer';
import {
  s3HostId,
  s3ObjectCreatedMessage,
  s3RequestId,
  s3TestEventMessage,
} from './s3NotificationMessage';

/** One bucket's `s3:ObjectCreated:*` notification to an SQS queue, with its key filter. */
export interface S3QueueNotification {
  bucket: string;
  queueUrl: string;
  /** Only keys starting with this raise events (the filter rule `prefix`). */
  prefix: string;
  /** Only keys ending with this raise events (the filter rule `suffix`), e.g. `.csv`. */
  suffix: string;
  configurationId: string;
}

export interface S3NotificationProxyOptions {
  /** The S3 endpoint to forward to (fauxqs). */
  upstream: string;
  /** Sends the notifications; it must have an explicit SQS endpoint. */
  sqs: SQSClient;
  region?: string;
  /**
   * Fault injection for reliability tests: delivers one event message, given `send` which
   * queues it once; may call it several times, late or not at all. The upload is answered once
   * the returned promise settles. Default: `send()` once.
   */
  deliverEvent?: (send: () => Promise<void>) => Promise<void>;
}

export interface S3NotificationProxy {
  /** `http://127.0.0.1:<port>`: the S3 endpoint to give clients and Lambdas (path-style). */
  endpoint: string;
  /**
   * Saves a bucket's notification configuration (its queue notifications, each with its own key
   * filter; they replace the bucket's earlier ones) and, like S3 does when one is saved, sends
   * an `s3:TestEvent` message to each queue.
   */
  configureNotifications(
    bucket: string,
    notifications: readonly Omit<S3QueueNotification, 'bucket'>[],
  ): Promise<void>;
  stop(): Promise<void>;
}

const readBody = async (stream: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

const s3ErrorXml = (message: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code><Message>${message
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')}</Message></Error>`;

/**
 * An HTTP reverse proxy in front of fauxqs' S3 that adds what fauxqs lacks: bucket
 * notifications (fauxqs accepts PutBucketNotificationConfiguration and ignores it). Every request
 * is forwarded unchanged and bodies are streamed. When a request that creates an object succeeds
 * and its key passes the bucket's filter, the proxy reads the object's size and ETag and sends
 * S3's event message to the queue before it answers the client. AWS sends events
 * asynchronously; answering afterwards means that once an upload resolves its event is already
 * queued, so "is the pipeline idle?" never misses it. If sending fails, the client gets a 500 so
 * the failure is not silent.
 *
 * @example
 * const proxy = await startS3NotificationProxy({ upstream: endpoints.s3, sqs });
 * await proxy.configureNotifications(bucket, [{ queueUrl, prefix: 'incoming/', suffix: '.csv', configurationId: 'tally-ingest' }]);
 */
export const startS3NotificationProxy = async (
  options: S3NotificationProxyOptions,
): Promise<S3NotificationProxy> => {
  const region = options.region ?? LOCAL_REGION;
  const upstream = new URL(options.upstream);
  const agent = new Agent({ keepAlive: true });
  const s3 = new S3Client({
    region,
    endpoint: options.upstream,
    forcePathStyle: true,
    credentials: LOCAL_CREDENTIALS,
  });
  const notifications = new Map<string, readonly S3QueueNotification[]>();
  const nextSequencer = createS3Sequencer();

  const notify = async (
    creation: ObjectCreationRequest,
    notification: S3QueueNotification,
    requestId: string,
    hostId: string,
  ) => {
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: creation.bucket, Key: creation.key }),
    );
    const body = s3ObjectCreatedMessage({
      eventName: creation.eventName,
      region,
      bucket: creation.bucket,
      key: creation.key,
      size: head.ContentLength ?? 0,
      eTag: (head.ETag ?? '').replace(/"/g, ''),
      sequencer: nextSequencer(creation.bucket),
      configurationId: notification.configurationId,
      requestId,
      hostId,
      time: new Date(),
    });
    const send = async () => {
      await options.sqs.send(
        new SendMessageCommand({ QueueUrl: notification.queueUrl, MessageBody: body }),
      );
    };
    await (options.deliverEvent ? options.deliverEvent(send) : send());
  };

  /** Answers a successful object-creating request once its event is queued. */
  const answerAfterNotifying = async (
    upstreamResponse: IncomingMessage,
    response: ServerResponse,
    creation: ObjectCreationRequest,
    notification: S3QueueNotification,
  ) => {
    // Responses to object-creating requests are empty or a few hundred bytes of XML.
    const body = await readBody(upstreamResponse);
    // CompleteMultipartUpload can fail after S3 has sent 200: the error is then in the body.
    const failed =
      creation.eventName === 'ObjectCreated:CompleteMultipartUpload' && body.includes('<Error>');
    if (!failed) {
      const requestId = String(upstreamResponse.headers['x-amz-request-id'] ?? s3RequestId());
      try {
        await notify(creation, notification, requestId, s3HostId());
      } catch (error) {
        const message = `local stack: S3 notification for s3://${creation.bucket}/${creation.key} failed: ${String(error)}`;
        process.stderr.write(`${message}\n`);
        response.writeHead(500, { 'content-type': 'application/xml' }).end(s3ErrorXml(message));
        return;
      }
    }
    response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers).end(body);
  };

  const forward = (request: IncomingMessage, response: ServerResponse) => {
    const creation = objectCreationRequest(request.method, request.url, request.headers);
    // S3 refuses configurations whose filters overlap, so at most one notification matches.
    const notification =
      creation &&
      notifications
        .get(creation.bucket)
        ?.find(
          (candidate) =>
            creation.key.startsWith(candidate.prefix) && creation.key.endsWith(candidate.suffix),
        );
    const wanted = creation && notification ? { creation, notification } : undefined;
    // Node's server already answered `Expect: 100-continue`; upstream must not wait for it again.
    const headers = { ...request.headers };
    delete headers.expect;
    const upstreamRequest = httpRequest(
      {
        protocol: upstream.protocol,
        hostname: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        headers,
        agent,
      },
      (upstreamResponse) => {
        if (wanted && upstreamResponse.statusCode === 200) {
          answerAfterNotifying(
            upstreamResponse,
            response,
            wanted.creation,
            wanted.notification,
          ).catch((error: unknown) => response.destroy(error as Error));
          return;
        }
        response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(response);
      },
    );
    upstreamRequest.on('error', (error) => {
      if (response.headersSent) response.destroy(error);
      else
        response
          .writeHead(502, { 'content-type': 'application/xml' })
          .end(s3ErrorXml(`local stack: S3 upstream failed: ${error.message}`));
    });
    request.on('aborted', () => upstreamRequest.destroy());
    request.pipe(upstreamRequest);
  };

  const server = createServer(forward);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    configureNotifications: async (bucket, configured) => {
      notifications.set(
        bucket,
        configured.map((notification) => ({ ...notification, bucket })),
      );
      for (const queueUrl of new Set(configured.map((notification) => notification.queueUrl))) {
        await options.sqs.send(
          new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: s3TestEventMessage(bucket) }),
        );
      }
    },
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      agent.destroy();
      s3.destroy();
    },
  };
};
