import { Agent, createServer, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { awsCallsOf } from './awsCallsOf';
import type { AwsCall } from './awsCallsOf';

/** What the functions asked of one AWS service, counted by a meter. */
export interface AwsUsage {
  /** Requests by operation, e.g. `DynamoDB.BatchWriteItem`, `SQS.SendMessageBatch`, `S3.GET`. */
  requests: Record<string, number>;
  /** DynamoDB capacity units the emulator reported in `ConsumedCapacity` (1 KB writes, 4 KB reads). */
  dynamodbWriteUnits: number;
  dynamodbReadUnits: number;
}

/** What a fault hook sees of one request: its operation (as counted) and its whole body. */
export interface MeteredRequest {
  operation: string;
  body: Buffer;
}

/**
 * What a fault hook does to one request instead of forwarding it as it is:
 * - `respond`: answer with this response; the request never reaches the emulator;
 * - `reset`: forward it, then send the status, headers and the first `afterFraction` of the
 *   body and destroy the connection, as a network failure mid-response would (the emulator
 *   did the work; the caller never learns it);
 * - `duplicate`: forward it twice, one after the other, and answer with the first response;
 * - `delay`: forward it `ms` milliseconds late, as a slow network or a busy service would.
 */
export type RequestFault =
  | { type: 'respond'; status: number; headers: Record<string, string>; body: string }
  | { type: 'reset'; afterFraction: number }
  | { type: 'duplicate' }
  | { type: 'delay'; ms: number };

export interface AwsRequestMeterOptions {
  /**
   * Fault injection for reliability tests: called for every request (its body read first);
   * returns the fault to inject, or undefined to forward it. Default: no hook, and bodies are
   * streamed through untouched.
   */
  faults?: (request: MeteredRequest) => RequestFault | undefined;
  /**
   * The name `calls()` records a call's resource under, e.g. a queue's role (`queue:output`)
   * rather than its name, so that calls on many objects of one kind are one entry. Default: the
   * resource as the request names it.
   */
  resourceClass?: (call: AwsCall) => string;
}

export interface AwsRequestMeter {
  /** `http://127.0.0.1:<port>`: give this to clients instead of `upstream`. */
  endpoint: string;
  usage(): AwsUsage;
  /**
   * Every distinct call forwarded so far (or answered by a fault hook: the caller made it),
   * sorted by service, operation and resource: what an IAM policy must allow.
   */
  calls(): AwsCall[];
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

const readBody = async (request: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/** By service, then operation, then resource; code-unit order, the same in every locale. */
const compareCalls = (a: AwsCall, b: AwsCall): number => {
  const left = [a.service, a.operation, a.resource];
  const right = [b.service, b.operation, b.resource];
  for (let index = 0; index < left.length; index += 1) {
    const [x = '', y = ''] = [left[index], right[index]];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
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
 * and `npm run bench`: requests and units are what AWS would bill. It also records each
 * distinct call (operation and resource) for the IAM policy check (infra/iam). With a `faults`
 * hook it is also where `npm run reliability` makes AWS fail (throttling, 5xx, dropped
 * connections).
 *
 * @example
 * const meter = await startAwsRequestMeter(endpoints.dynamodb);
 * // ... run the pipeline against meter.endpoint ...
 * meter.usage().dynamodbWriteUnits;
 * meter.calls(); // [{ service: 'dynamodb', operation: 'BatchWriteItem', resource: 'tally-local-staging' }, ...]
 */
export const startAwsRequestMeter = async (
  upstream: string,
  options: AwsRequestMeterOptions = {},
): Promise<AwsRequestMeter> => {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true });
  const usage: AwsUsage = { requests: {}, dynamodbWriteUnits: 0, dynamodbReadUnits: 0 };

  const countCapacity = (operation: string, body: Buffer) => {
    const units = capacityOf(body);
    if (DYNAMODB_WRITES.has(operation.slice('DynamoDB.'.length))) usage.dynamodbWriteUnits += units;
    else usage.dynamodbReadUnits += units;
  };

  const upstreamRequest = (
    request: IncomingMessage,
    onResponse: (upstreamResponse: IncomingMessage) => void,
  ) =>
    httpRequest(
      {
        agent,
        hostname: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers: { ...request.headers, host: target.host },
      },
      onResponse,
    );

  /** Forwards a request and passes the answer back, streamed (S3) or read whole (DynamoDB). */
  const forward = (
    request: IncomingMessage,
    response: ServerResponse,
    operation: string,
    body?: Buffer,
  ) => {
    const forwarded = upstreamRequest(request, (upstreamResponse) => {
      response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
      if (!operation.startsWith('DynamoDB.')) {
        upstreamResponse.pipe(response);
        return;
      }
      const chunks: Buffer[] = [];
      upstreamResponse.on('data', (chunk: Buffer) => chunks.push(chunk));
      upstreamResponse.on('end', () => {
        const answer = Buffer.concat(chunks);
        countCapacity(operation, answer);
        response.end(answer);
      });
    });
    forwarded.on('error', (error) => {
      response.writeHead(502);
      response.end(String(error));
    });
    if (body) forwarded.end(body);
    else request.pipe(forwarded);
  };

  /** Forwards a request whose body was read, and reads the whole answer. */
  const forwardAndRead = (request: IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>(
      (resolve, reject) => {
        const forwarded = upstreamRequest(request, (upstreamResponse) => {
          const chunks: Buffer[] = [];
          upstreamResponse.on('data', (chunk: Buffer) => chunks.push(chunk));
          upstreamResponse.on('error', reject);
          upstreamResponse.on('end', () =>
            resolve({
              status: upstreamResponse.statusCode ?? 502,
              headers: upstreamResponse.headers,
              body: Buffer.concat(chunks),
            }),
          );
        });
        forwarded.on('error', reject);
        forwarded.end(body);
      },
    );

  const answerWithFault = async (
    request: IncomingMessage,
    response: ServerResponse,
    operation: string,
    body: Buffer,
    faults: NonNullable<AwsRequestMeterOptions['faults']>,
  ) => {
    const fault = faults({ operation, body });
    if (!fault) {
      forward(request, response, operation, body);
      return;
    }
    if (fault.type === 'respond') {
      response.writeHead(fault.status, fault.headers).end(fault.body);
      return;
    }
    if (fault.type === 'delay') {
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
      forward(request, response, operation, body);
      return;
    }
    const answer = await forwardAndRead(request, body);
    if (fault.type === 'duplicate') await forwardAndRead(request, body);
    if (operation.startsWith('DynamoDB.')) countCapacity(operation, answer.body);
    response.writeHead(answer.status, answer.headers);
    if (fault.type === 'duplicate') {
      response.end(answer.body);
      return;
    }
    // The part is flushed before the socket goes, so the client sees a response cut short.
    const part = answer.body.subarray(0, Math.floor(answer.body.length * fault.afterFraction));
    response.write(part, () => response.socket?.destroy());
  };

  const calls = new Map<string, AwsCall>();
  const recordCalls = (request: IncomingMessage, body: Buffer | undefined) => {
    const line = {
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      headers: request.headers,
    };
    for (const call of awsCallsOf(line, body)) {
      const named = { ...call, resource: options.resourceClass?.(call) ?? call.resource };
      calls.set(JSON.stringify([named.service, named.operation, named.resource]), named);
    }
  };

  const answer = async (request: IncomingMessage, response: ServerResponse, operation: string) => {
    // DynamoDB and SQS name their resources in small JSON bodies, read first; S3 names them in
    // the path, so its bodies (uploads) stream through untouched unless a fault hook reads them.
    const body =
      options.faults || !operation.startsWith('S3.') ? await readBody(request) : undefined;
    recordCalls(request, body);
    if (options.faults && body)
      await answerWithFault(request, response, operation, body, options.faults);
    else forward(request, response, operation, body);
  };

  const server = createServer((request, response) => {
    const operation = operationOf(request);
    usage.requests[operation] = (usage.requests[operation] ?? 0) + 1;
    answer(request, response, operation).catch((error: unknown) => {
      if (response.headersSent) response.destroy();
      else response.writeHead(502).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    usage: () => ({ ...usage, requests: { ...usage.requests } }),
    calls: () => [...calls.values()].sort(compareCalls),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
};
