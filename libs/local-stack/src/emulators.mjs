// Starts the AWS emulators the local stack runs on, in this process and on loopback only:
// fauxqs (S3 + SQS on one port) and dynalite (DynamoDB). Plain ESM because fauxqs is ESM-only
// and exports only the "import" condition, so CommonJS code (Jest's module system) cannot load
// it; Jest runs this from a globalSetup and hands the endpoints over through process.env.
import { buildApp } from 'fauxqs';
import dynalite from 'dynalite';

/**
 * fauxqs builds queue URLs as `http://sqs.<region>.localhost:<port>/...` unless its store's host
 * is empty, and glibc does not resolve subdomains of `localhost`. The SQS client sends to the
 * QueueUrl's host whenever no endpoint is passed in code (AWS_ENDPOINT_URL_SQS does not count),
 * so a handler would fail with ENOTFOUND. An SqsStore with an empty host makes fauxqs answer
 * with `http://127.0.0.1:<port>/000000000000/<name>`, which resolves everywhere. The store
 * class is internal: this relies on fauxqs being pinned to 1.9.2.
 *
 * @returns {Promise<unknown>}
 */
const loopbackQueueUrlStore = async () => {
  const { SqsStore } = await import(
    new URL('./sqs/sqsStore.js', import.meta.resolve('fauxqs')).href
  );
  const sqsStore = new SqsStore();
  sqsStore.host = '';
  return sqsStore;
};

/**
 * @param {import('node:http').Server} server
 * @returns {Promise<string>}
 */
const listenOnLoopback = (server) =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('dynalite did not report a TCP port'));
        return;
      }
      resolve(`http://127.0.0.1:${address.port}`);
    });
  });

/**
 * @param {import('node:http').Server} server
 * @returns {Promise<void>}
 */
const closeServer = (server) =>
  new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });

/**
 * Starts fauxqs and dynalite on 127.0.0.1 with ports chosen by the OS. Quiet: fauxqs' request
 * log is off, so nothing is written on stdout.
 *
 * @example
 * const emulators = await startEmulators();
 * const sqs = new SQSClient({ endpoint: emulators.endpoints.sqs, region: 'us-east-1' });
 * await emulators.stop();
 *
 * @returns {Promise<import('./emulators.d.mts').Emulators>}
 */
export const startEmulators = async () => {
  const fauxqs = buildApp({ logger: false, stores: { sqsStore: await loopbackQueueUrlStore() } });
  const fauxqsEndpoint = await fauxqs.listen({ host: '127.0.0.1', port: 0 });
  // Tables are ACTIVE at once: nothing local is worth waiting 500 ms per table for.
  const dynamodb = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  let dynamodbEndpoint;
  try {
    dynamodbEndpoint = await listenOnLoopback(dynamodb);
  } catch (error) {
    await fauxqs.close();
    throw error;
  }
  return {
    endpoints: { s3: fauxqsEndpoint, sqs: fauxqsEndpoint, dynamodb: dynamodbEndpoint },
    stop: async () => {
      await Promise.all([fauxqs.close(), closeServer(dynamodb)]);
    },
  };
};
