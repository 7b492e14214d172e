/** Anything started that must be stopped: a server, a poller, SDK clients. */
export interface Stoppable {
  stop(): unknown;
}

/**
 * The parts of a stack started so far, stopped together in reverse order: by `stop()`, or when
 * a later part fails to start (a caller that gets no stack cannot stop it, and open servers
 * would keep a test run from exiting). Every part is stopped even if one fails; the first
 * failure is rethrown after.
 *
 * @example
 * const parts = new RunningParts();
 * const proxy = parts.add(await startS3NotificationProxy(options));
 * await parts.stopAll();
 */
export class RunningParts {
  private readonly parts: Stoppable[] = [];

  /** Records a started part and returns it. */
  add<T extends Stoppable>(part: T): T {
    this.parts.push(part);
    return part;
  }

  async stopAll(): Promise<void> {
    const failures: unknown[] = [];
    for (const part of this.parts.splice(0).reverse()) {
      await Promise.resolve()
        .then(() => part.stop())
        .catch((error: unknown) => failures.push(error));
    }
    if (failures.length > 0) throw failures[0];
  }
}
