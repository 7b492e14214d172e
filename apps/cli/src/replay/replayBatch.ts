// `npm run replay -- --batch <id> [--env <env> | --local <endpoints json>] [--direct] [--force]`:
// re-aggregates a batch from its staged rows. By default it sends the batch_ready message of the
// batch's three current files to the aggregation queue, so the deployed aggregator runs it;
// with --direct it aggregates in this process and sends the messages to the output queue.
// stdout gets one JSON line with the outcome; progress goes to stderr.
// Exit code: 0 replayed, 2 batch unknown or incomplete, 1 anything else.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DynamoStagingStore,
  SqsAggregationRequests,
  SqsMessageSink,
  createAwsClients,
} from '@tally/aws-clients';
import { pipelineSettings } from '@tally/local-stack';
import { REPLAY_USAGE, parseReplayArguments } from './parseReplayArguments';
import { REPLAY_EXIT, exitCodeOf, replayStagedBatch } from './replayStagedBatch';
import type { ReplayOutcome, ReplayRoute } from './replayStagedBatch';
import { resolveReplayTargets } from './resolveReplayTargets';

/** The longest a Lambda invocation may run: a direct replay holds the lease as long. */
const DIRECT_LEASE_MS = 15 * 60 * 1000;

const progress = (line: string) => process.stderr.write(`[replay] ${line}\n`);

const terraformOutputs = (envName: string): string =>
  execFileSync(
    'terraform',
    [`-chdir=${join(__dirname, '..', '..', '..', '..', 'infra', 'envs', envName)}`, 'output', '-json'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );

const explain = (batchId: string, outcome: ReplayOutcome): string => {
  switch (outcome.status) {
    case 'requested':
      return `sent batch_ready for "${batchId}" to the aggregation queue; follow it with the saved query "timeline of one batch"`;
    case 'aggregated':
      return `aggregated "${batchId}": ${outcome.customerMessages} customer and ${outcome.errorMessages} error message(s) sent`;
    case 'unknown-batch':
      return `no manifest for batch "${batchId}": nothing was staged, or it expired (TTL)`;
    case 'incomplete':
      return `batch "${batchId}" lacks ${outcome.missing.join(', ')}: upload the missing file(s) instead`;
    case 'already-aggregated':
      return `batch "${batchId}" was aggregated with its current files already; pass --force to do it again`;
    case 'stale':
      return `the files of "${batchId}" changed while replaying; the newer upload gets aggregated on its own`;
    case 'in-progress':
      return `another aggregation of "${batchId}" holds the lease (up to the aggregator's timeout after it started); try again later`;
  }
};

const run = async (): Promise<number> => {
  const parsed = parseReplayArguments(process.argv.slice(2));
  if (!parsed.success) {
    progress(parsed.error);
    process.stderr.write(`${REPLAY_USAGE}\n`);
    return REPLAY_EXIT.failed;
  }
  if ('help' in parsed) {
    process.stdout.write(`${REPLAY_USAGE}\n`);
    return REPLAY_EXIT.replayed;
  }
  const args = parsed.data;
  const targets = resolveReplayTargets(args, {
    env: process.env,
    terraformOutputs,
    readFile: (path) => readFileSync(path, 'utf8'),
  });
  if (!targets.success) {
    progress(targets.error);
    return REPLAY_EXIT.failed;
  }
  const { tableName, queueUrl, clientOverrides } = targets.data;
  const clients = createAwsClients({ clientOverrides });
  try {
    const store = new DynamoStagingStore({
      client: clients.dynamodb,
      tableName,
      ttlDays: pipelineSettings.table.ttlDays,
    });
    const route: ReplayRoute =
      args.mode === 'queue'
        ? {
            mode: 'queue',
            requests: new SqsAggregationRequests(clients.sqs, queueUrl),
          }
        : {
            mode: 'direct',
            sink: new SqsMessageSink({ client: clients.sqs, queueUrl }),
            lease: {
              owner: `replay-${randomUUID()}`,
              now: Date.now(),
              durationMs: DIRECT_LEASE_MS,
            },
          };
    progress(
      `batch "${args.batchId}" in ${tableName}, ${args.mode === 'queue' ? `via ${queueUrl}` : `directly to ${queueUrl}`}${args.force ? ', forced' : ''}`,
    );
    const outcome = await replayStagedBatch(
      { batchId: args.batchId, force: args.force },
      store,
      route,
    );
    progress(explain(args.batchId, outcome));
    process.stdout.write(`${JSON.stringify({ batch_id: args.batchId, ...outcome })}\n`);
    return exitCodeOf(outcome);
  } finally {
    clients.sqs.destroy();
    clients.dynamodb.destroy();
  }
};

run().then(
  (code) => process.exit(code),
  (error: unknown) => {
    progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(REPLAY_EXIT.failed);
  },
);
