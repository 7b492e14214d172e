import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { createRowValidators } from '@tally/schema';
import { pipelineSettings } from '@tally/local-stack';
import { batchCheckSummary } from './batchCheckSummary';
import { LineMessageSink } from './LineMessageSink';
import { TtyProgress } from './TtyProgress';
import { validateBatchFolder } from './validateBatchFolder';
import type { BatchCheckSettings, BatchVerdict } from './validateBatchFolder';

/** Exit codes of `tally validate`, one per verdict, plus `failure` for the tool itself. */
export const EXIT_CODE = {
  clean: 0,
  failure: 1,
  incomplete: 2,
  errors: 3,
} as const satisfies Record<BatchVerdict | 'failure', number>;

/** Ingest's defaults: the prefix and limits every deployment starts from (`pipeline.json`). */
const SETTINGS: BatchCheckSettings = {
  inputPrefix: pipelineSettings.inputPrefix,
  ...pipelineSettings.limits,
};

const USAGE = `usage: tally validate <batch-folder>

Checks a batch folder (customers*.csv, orders*.csv, items*.csv; the batch id is the folder's
name) with the pipeline's own rules, without AWS.
  stdout  the error_message lines the pipeline would send, one JSON object per line
  stderr  a summary: rows read, accepted and rejected per file, customer messages
  exit    0 clean, 3 row or referential errors, 2 the batch cannot complete
          (a file missing or rejected as a whole), 1 the tool failed
`;

/** Where the command reads and writes: the process's streams, or a test's. */
export interface CommandIo {
  readonly stdout: Writable;
  readonly stderr: Writable & { readonly isTTY?: boolean };
  /** Relative folders are taken from here (npm scripts run in the root, so pass INIT_CWD). */
  readonly cwd: string;
}

/**
 * Runs `tally <args>` and resolves to its exit code; never throws. Only `validate` exists.
 *
 * @example
 * ```ts
 * process.exitCode = await runTallyCommand(['validate', './2024-06-01'], { stdout, stderr, cwd });
 * ```
 */
export const runTallyCommand = async (args: readonly string[], io: CommandIo): Promise<number> => {
  let positionals: string[];
  try {
    const parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { help: { type: 'boolean', short: 'h' } },
    });
    if (parsed.values.help) {
      io.stdout.write(USAGE);
      return EXIT_CODE.clean;
    }
    positionals = parsed.positionals;
  } catch (error) {
    io.stderr.write(`tally: ${messageOf(error)}\n\n${USAGE}`);
    return EXIT_CODE.failure;
  }
  const [command, folder, ...extra] = positionals;
  if (command !== 'validate' || folder === undefined || extra.length > 0) {
    io.stderr.write(USAGE);
    return EXIT_CODE.failure;
  }

  try {
    const check = await validateBatchFolder(
      resolve(io.cwd, folder),
      {
        sink: new LineMessageSink(io.stdout),
        validators: createRowValidators(),
        progress: io.stderr.isTTY ? new TtyProgress(io.stderr) : undefined,
      },
      SETTINGS,
    );
    io.stderr.write(batchCheckSummary(check));
    return EXIT_CODE[check.verdict];
  } catch (error) {
    io.stderr.write(`tally validate: ${messageOf(error)}\n`);
    return EXIT_CODE.failure;
  }
};

/** The error's message: errors from Node's own modules may come from another realm (Jest). */
const messageOf = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'message' in error
    ? String(error.message)
    : String(error);
