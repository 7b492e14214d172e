// The Lambda runtime inside one execution environment: a child process forked by lambdaHost.ts
// with the function's environment. Loads the bundle once (the cold start: module-level code
// runs here, as in Lambda's init phase), then answers invoke messages over IPC. Events and
// results cross as JSON strings, as they do through Lambda's runtime API.
const { readFileSync } = require('node:fs');
const bundlePath = process.argv[2];

/** Lambda's error shape: `{ errorType, errorMessage, trace }`. */
const serialiseError = (error, fallbackType) => {
  if (error instanceof Error) {
    return {
      errorType: error.name || fallbackType,
      errorMessage: error.message,
      trace: String(error.stack ?? '').split('\n'),
    };
  }
  return { errorType: fallbackType, errorMessage: String(error), trace: [] };
};

let currentRequestId;

// The most memory this process has held so far: what Lambda's REPORT line gives as "Max Memory
// Used", sent with each outcome since the host may kill the process without warning. On Linux,
// VmHWM (kB) counts only this process since exec; resourceUsage().maxRSS (kB) would start at
// the RSS of the parent that spawned it, so it is the fallback where there is no /proc.
const maxRssBytes = () => {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // No /proc (not Linux): the fallback below.
  }
  return process.resourceUsage().maxRSS * 1024;
};

// The host may run the functions' clock ahead (reliability tests expire staged rows that way):
// Date.now gives the moved time; deadlines stay on the real clock.
const realNow = Date.now;
let clockOffsetMs = 0;
Date.now = () => realNow() + clockOffsetMs;

// An error escaping the handler's promise chain ends the environment, as it does in Lambda.
const failAndExit = (errorType) => (error) => {
  process.send(
    {
      type: 'error',
      requestId: currentRequestId,
      error: serialiseError(error, errorType),
      maxRssBytes: maxRssBytes(),
    },
    () => process.exit(1),
  );
};
process.on('uncaughtException', failAndExit('Runtime.UncaughtException'));
process.on('unhandledRejection', failAndExit('Runtime.UnhandledPromiseRejection'));

let handler;
try {
  handler = require(bundlePath).handler;
  if (typeof handler !== 'function') {
    throw Object.assign(new Error(`${bundlePath} does not export a function named handler`), {
      name: 'Runtime.HandlerNotFound',
    });
  }
  process.send({ type: 'ready' });
} catch (error) {
  process.send(
    { type: 'initError', error: serialiseError(error, 'Runtime.ImportModuleError') },
    () => process.exit(1),
  );
}

/** Calls the handler, async or callback style (Node 22 runtimes still accept callbacks). */
const callHandler = (event, context) =>
  new Promise((resolve, reject) => {
    const returned = handler(event, context, (error, result) =>
      error ? reject(error) : resolve(result),
    );
    if (returned && typeof returned.then === 'function') returned.then(resolve, reject);
    else if (handler.length < 3) resolve(returned);
  });

process.on('message', (message) => {
  if (message.type !== 'invoke') return;
  currentRequestId = message.requestId;
  clockOffsetMs = message.clockOffsetMs ?? 0;
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: message.functionName,
    functionVersion: message.functionVersion,
    invokedFunctionArn: message.invokedFunctionArn,
    memoryLimitInMB: message.memoryLimitInMB,
    awsRequestId: message.requestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, message.deadlineMs - realNow()),
  };
  callHandler(JSON.parse(message.event), context).then(
    (result) =>
      process.send({
        type: 'result',
        requestId: message.requestId,
        result: JSON.stringify(result ?? null),
        maxRssBytes: maxRssBytes(),
      }),
    (error) =>
      process.send({
        type: 'error',
        requestId: message.requestId,
        error: serialiseError(error, 'Error'),
        maxRssBytes: maxRssBytes(),
      }),
  );
});
