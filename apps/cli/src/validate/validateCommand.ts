import { defineCommand, executeCommand } from '@tally/command-line';
import type { TallyCommand } from '../TallyCommand';
import type * as Implementation from './printBatchCheck';

/** Exit codes of `tally validate`, one per verdict, plus `failure` for the tool itself. */
export const VALIDATE_EXIT = {
  clean: 0,
  failure: 1,
  incomplete: 2,
  errors: 3,
} as const;

export const validateSpec = defineCommand({
  name: 'tally validate',
  summary:
    "Checks a batch folder (customers*.csv, orders*.csv, items*.csv, optionally _manifest.json;\nthe batch id is the folder's name) with the pipeline's own rules, without AWS.",
  details: [
    'The folder is taken as uploaded in name order, _manifest.json first: without a manifest the',
    'first file of a kind counts and a later one gets SECOND_FILE_OF_KIND; with one, exactly the',
    'files it lists count (parts of a kind in its order), checked against its rows and sha256.',
    'stdout gets the error_message lines the pipeline would send, one JSON object per line;',
    'stderr a summary: per file rows read, accepted, rejected, referential errors and whether it',
    'counts, then customer messages and the verdict. Large files show their reading progress on',
    'stderr when it is a terminal.',
  ].join('\n'),
  positionals: [{ name: 'folder', description: 'the batch folder', required: true }],
  options: {
    json: {
      type: 'boolean',
      description: 'end stdout with the summary as one line, {"type":"validate_summary", …}',
    },
  },
  exitCodes: [
    [VALIDATE_EXIT.clean, 'clean'],
    [VALIDATE_EXIT.failure, 'the tool failed (the folder cannot be read)'],
    [
      VALIDATE_EXIT.incomplete,
      'the batch cannot complete (a file missing or rejected as a whole, or a manifest problem)',
    ],
    [VALIDATE_EXIT.errors, 'row or referential errors'],
  ],
});

/** `tally validate <folder>`. */
export const validateCommand: TallyCommand = {
  spec: validateSpec,
  brief: "check a batch folder with the pipeline's rules, without AWS",
  run: (argv, io) =>
    executeCommand(validateSpec, argv, io, (run) =>
      // Loaded on use, so that help and usage errors answer at once.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./printBatchCheck') as typeof Implementation).printBatchCheck(run),
    ),
};
