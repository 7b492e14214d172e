import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandIo } from '@tally/command-line';
import {
  EXIT_USAGE,
  processIo,
  formatColumns,
  formatExitCodes,
  USAGE_EXIT_CODE,
  usageLine,
  writeText,
} from '@tally/command-line';
import { localCommand } from './local/localCommand';
import { replayCommand } from './replay/replayCommand';
import { runCommand } from './run/runCommand';
import { statusCommand } from './status/statusCommand';
import { tailCommand } from './tail/tailCommand';
import type { TallyCommand } from './TallyCommand';
import { validateCommand } from './validate/validateCommand';
import { WORKSPACE_ROOT } from './workspaceRoot';

/** Every `tally` command, in the order the help lists them. */
export const TALLY_COMMANDS: readonly TallyCommand[] = [
  runCommand,
  localCommand,
  validateCommand,
  statusCommand,
  tailCommand,
  replayCommand,
];

/** A command as the overview shows it: `status <batch>`, `replay --batch <id>`. */
const synopsis = (command: TallyCommand): string =>
  usageLine(command.spec)
    .replace(/^usage: tally /, '')
    .replace(/ \[options\]$/, '');

/** `tally --help`: the commands, how to get each one's help, and the exit codes. */
export const TALLY_USAGE = [
  'usage: tally <command> [options]',
  '',
  "Runs Tally's pipeline on this machine, and looks into a running one, local or deployed.",
  '',
  'commands:',
  ...formatColumns(TALLY_COMMANDS.map((command) => [synopsis(command), command.brief])),
  '',
  '`tally <command> --help` prints its arguments, options and exit codes.',
  '',
  'options:',
  ...formatColumns([
    ['-h, --help', 'print this help'],
    ['--version', "print Tally's version"],
  ]),
  '',
  formatExitCodes([
    [0, 'done'],
    [1, 'the command failed; one line on stderr says why'],
    [2, 'the batch is incomplete or unknown (run, validate, status, replay)'],
    [3, 'the batch has row or referential errors (validate)'],
    USAGE_EXIT_CODE,
  ]),
  '',
].join('\n');

const version = (): string =>
  (JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'package.json'), 'utf8')) as { version: string })
    .version;

/**
 * Runs `tally <args>` and resolves to its exit code; never throws. The first argument names
 * the command; the rest is the command's own.
 *
 * @example
 * ```ts
 * process.exitCode = await runTally(process.argv.slice(2), processIo());
 * ```
 */
export const runTally = async (args: readonly string[], io: CommandIo): Promise<number> => {
  const [first, ...rest] = args;
  const usageError = async (message: string) => {
    await writeText(io.stderr, `tally: ${message}\n\n${TALLY_USAGE}`);
    return EXIT_USAGE;
  };
  if (first === undefined) return usageError('missing <command>');
  if (first === '-h' || first === '--help') {
    await writeText(io.stdout, TALLY_USAGE);
    return 0;
  }
  if (first === '--version') {
    await writeText(io.stdout, `${version()}\n`);
    return 0;
  }
  if (first.startsWith('-')) return usageError(`unknown option ${first.replace(/=.*$/, '')}`);
  const command = TALLY_COMMANDS.find((candidate) => synopsis(candidate).split(' ')[0] === first);
  if (command === undefined) return usageError(`unknown command ${JSON.stringify(first)}`);
  return command.run(rest, io);
};

/** `tally` as the whole process: its arguments, streams, working directory and environment. */
export const runTallyAsProcess = (): Promise<number> =>
  runTally(process.argv.slice(2), processIo());
