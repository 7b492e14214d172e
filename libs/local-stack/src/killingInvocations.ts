import type { LambdaHost } from './lambdaHost';

/**
 * Fault injection for reliability tests: the host, but every invocation for which
 * `killAfterMs` gives a number is killed after that many ms, part-way through, as a timeout or
 * a crash would kill it (see `InvokeOptions.killAfterMs`).
 *
 * @example
 * const host = killingInvocations(startLambdaHost(options), (event) => (isLarge(event) ? 200 : undefined));
 */
export const killingInvocations = (
  host: Pick<LambdaHost, 'invoke'>,
  killAfterMs: (event: unknown) => number | undefined,
): Pick<LambdaHost, 'invoke'> => ({
  invoke: (event) => {
    const ms = killAfterMs(event);
    return host.invoke(event, ms === undefined ? {} : { killAfterMs: ms });
  },
});
