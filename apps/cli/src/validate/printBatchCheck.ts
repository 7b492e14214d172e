import { resolve } from 'node:path';
import type { CommandRunOf } from '@tally/command-line';
import { writeText } from '@tally/command-line';
import { pipelineSettings } from '@tally/local-stack';
import { createBatchManifestValidator, createRowValidators } from '@tally/schema';
import { batchCheckSummary } from './batchCheckSummary';
import { LineMessageSink } from './LineMessageSink';
import { TtyProgress } from './TtyProgress';
import { validateBatchFolder } from './validateBatchFolder';
import type { BatchCheckSettings } from './validateBatchFolder';
import { VALIDATE_EXIT } from './validateCommand';
import type { validateSpec } from './validateCommand';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Ingest's defaults: the prefix and limits every deployment starts from (`pipeline.json`). */
const SETTINGS: BatchCheckSettings = {
  inputPrefix: pipelineSettings.inputPrefix,
  ...pipelineSettings.limits,
  stagedRowsTtlMs: pipelineSettings.table.ttlDays * DAY_MS,
};

/**
 * `tally validate <folder>`: checks the folder as the pipeline would, writes the error
 * messages on stdout and the summary on stderr, and exits with the verdict's code.
 *
 * @example
 * process.exitCode = await printBatchCheck({ options: { json: false }, args: { folder }, io });
 */
export const printBatchCheck = async ({
  options,
  args,
  io,
}: CommandRunOf<typeof validateSpec>): Promise<number> => {
  const check = await validateBatchFolder(
    resolve(io.cwd, args.folder),
    {
      sink: new LineMessageSink(io.stdout),
      validators: createRowValidators(),
      manifestValidator: createBatchManifestValidator(),
      progress: io.stderr.isTTY ? new TtyProgress(io.stderr) : undefined,
    },
    SETTINGS,
  );
  await writeText(io.stderr, batchCheckSummary(check));
  if (options.json)
    await writeText(io.stdout, `${JSON.stringify({ type: 'validate_summary', ...check })}\n`);
  return VALIDATE_EXIT[check.verdict];
};
