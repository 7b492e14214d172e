// A Lambda handler for the local stack's own tests, scripted by its environment and by the
// messages it receives. For each invocation it appends one JSON line (pid, context, event) to
// SCRIPTED_HANDLER_LOG when set. A record whose body is a JSON command acts on it:
// {"fail":true} is reported in batchItemFailures, {"throw":"message"} throws,
// {"sleepMs":N} waits first, {"allocateMiB":N} fills N MiB of memory (raising the peak RSS). An S3 event record (not the s3:TestEvent) is forwarded as
// {"type":"customer_message","key":<key>} to the queue whose URL is in the variable named by
// SCRIPTED_HANDLER_FORWARD_TO, through an SQS client configured only by the environment.
const { appendFileSync } = require('node:fs');
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');

// As Tally's own SQS client: the endpoint the environment names, not the QueueUrl's host (the
// emulator's), so the call goes through the function's request meter.
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });

const parse = (body) => {
  try {
    return JSON.parse(body);
  } catch {
    return {};
  }
};

exports.handler = async (event, context) => {
  if (process.env.SCRIPTED_HANDLER_LOG) {
    const line = {
      pid: process.pid,
      functionName: context.functionName,
      awsRequestId: context.awsRequestId,
      remainingMs: context.getRemainingTimeInMillis(),
      memoryLimitInMB: context.memoryLimitInMB,
      now: Date.now(),
      event,
    };
    appendFileSync(process.env.SCRIPTED_HANDLER_LOG, `${JSON.stringify(line)}\n`);
  }
  const batchItemFailures = [];
  for (const record of event.Records) {
    const command = parse(record.body);
    if (command.sleepMs) await new Promise((resolve) => setTimeout(resolve, command.sleepMs));
    if (command.allocateMiB) Buffer.alloc(command.allocateMiB * 1_048_576, 1);
    if (command.throw) throw new Error(command.throw);
    if (command.fail) batchItemFailures.push({ itemIdentifier: record.messageId });
    const forwardTo = process.env.SCRIPTED_HANDLER_FORWARD_TO;
    for (const s3Record of command.Records ?? []) {
      if (forwardTo) {
        const body = JSON.stringify({ type: 'customer_message', key: s3Record.s3.object.key });
        await sqs.send(
          new SendMessageCommand({ QueueUrl: process.env[forwardTo], MessageBody: body }),
        );
      }
    }
  }
  return { batchItemFailures };
};
