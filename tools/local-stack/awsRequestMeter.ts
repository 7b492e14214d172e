import { Agent, createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the functions asked of one AWS service, counted by a meter. */
export interface AwsUsage {
  /** Requests by operation, e.g. `DynamoDB.BatchWriteItem`, `SQS.SendMessageBatch`, `S3.GET`. */
  requests: Record<string, number>;
  /** DynamoDB capacity units the emulator reported in `ConsumedCapacity` (1 KB writes, 4 KB reads). */
  dynamodbWriteUnits: number;
  dynamodbReadUnits: number;
}

export interface AwsRequestMeter {
  /** `http://127.0.0.1:<port>`: give this to clients instead of `upstream`. */
  endpoint: string;
  usage(): AwsUsage;
  stop(): Promise<void>;
}

const DYNAMODB_WRITES = new Set(['BatchWriteItem', 'PutItem', 'UpdateItem', 'DeleteItem']);

/** The operation a request performs: from X-Amz-Target (DynamoDB, SQS) or the method (S3). */
const operationOf = (request: IncomingMessage): string => {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') {
    const [service = '', operation = ''] = target.split('.');
    return `${service.startsWith('DynamoDB') ? 'DynamoDB' : service.replace(/^Amazon/, '')}.${operation}`;
  }
  return `S3.${request.method ?? 'GET'}`;
};

/** Sums `CapacityUnits` of a ConsumedCapacity (an object, or an array for batch operations). */
const capacityOf = (body: Buffer): number => {
  try {
    const consumed = (JSON.parse(body.toString('utf8')) as { ConsumedCapacity?: unknown })
      .ConsumedCapacity;
    const entries = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
    return entries.reduce(
      (sum: number, entry: { CapacityUnits?: number }) => sum + (entry.CapacityUnits ?? 0),
      0,
    );
  } catch {
    return 0;
  }
};

/**
 * A pass-through HTTP proxy in front of an emulator that counts requests by operation and adds
 * up the DynamoDB capacity the emulator reports (the staging adapter asks for
 * `ReturnConsumedCapacity: TOTAL`, as it does on AWS). Used for the cost figures of `npm start`
 * and `npm run bench`: requests and units are what AWS would bill.
 *
 * @example
 * const meter = await startAwsRequestMeter(endpoints.dynamodb);
 * // ... run the pipeline against meter.endpoint ...
 * meter.usage().dynamodbWriteUnits;
 */
export const startAwsRequestMeter = async (upstream: string): Promise<AwsRequestMeter> => {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true });
  const usage: AwsUsage = { requests: {}, dynamodbWriteUnits: 0, dynamodbReadUnits: 0 };

  const server = createServer((request, response) => {
    const operation = operationOf(request);
    usage.requests[operation] = (usage.requests[operation] ?? 0) + 1;
    const forwarded = httpRequest(
      {
        agent,
        hostname: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers: { ...request.headers, host: target.host },
      },
      (upstreamResponse) => {
        response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        if (!operation.startsWith('DynamoDB.')) {
          upstreamResponse.pipe(response);
          return;
        }
        const chunks: Buffer[] = [];
        upstreamResponse.on('data', (chunk: Buffer) => chunks.push(chunk));
        upstreamResponse.on('end', () => {
          const body = Buffer.concat(chunks);
          const units = capacityOf(body);
          if (DYNAMODB_WRITES.has(operation.slice('DynamoDB.'.length)))
            usage.dynamodbWriteUnits += units;
          else usage.dynamodbReadUnits += units;
          response.end(body);
        });
      },
    );
    forwarded.on('error', (error) => {
      response.writeHead(502);
      response.end(String(error));
    });
    request.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    usage: () => ({ ...usage, requests: { ...usage.requests } }),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
};
