import type { CommandIo, CommandSpec } from '@tally/command-line';

/**
 * One `tally` command: its spec (for the help) and how it runs. Implementations are loaded only
 * when the command runs, so `--help` and a bad command line answer without loading the AWS SDK.
 */
export interface TallyCommand {
  readonly spec: CommandSpec;
  /** What `tally --help` says of it, in a few words. */
  readonly brief: string;
  /** Runs the command on the arguments after its name; resolves to the exit code. */
  run(argv: readonly string[], io: CommandIo): Promise<number>;
}
