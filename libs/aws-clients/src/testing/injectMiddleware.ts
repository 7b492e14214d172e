/** A client whose middleware stack a test may extend (every SDK v3 client). */
interface WithMiddleware {
  middlewareStack: {
    add(middleware: never, options: { step: 'initialize'; name: string }): void;
    remove(name: string): boolean;
  };
}

type Fields = Record<string, unknown>;

/**
 * Runs `body` with a fault-injecting middleware at the start of every request of `client`:
 * `inject` sees the command input, may call the real service with another input, and returns
 * the output the caller gets. Faults are injected against the real emulator, never by mocking
 * the SDK.
 */
export const withMiddleware = async <T>(
  client: WithMiddleware,
  inject: (input: Fields, send: (input: Fields) => Promise<Fields>) => Promise<Fields>,
  body: () => Promise<T>,
): Promise<T> => {
  const name = `inject-${Math.random().toString(36).slice(2)}`;
  const middleware =
    (next: (args: { input: Fields }) => Promise<{ output: Fields; response?: unknown }>) =>
    async (args: { input: Fields }) => {
      let response: unknown;
      const output = await inject(args.input, async (input) => {
        const result = await next({ ...args, input });
        response = result.response;
        return result.output;
      });
      return { output, response };
    };
  client.middlewareStack.add(middleware as never, { step: 'initialize', name });
  try {
    return await body();
  } finally {
    client.middlewareStack.remove(name);
  }
};
