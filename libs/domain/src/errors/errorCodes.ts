/**
 * The catalogue of stable error codes that Tally puts in `error_message`s. Each code has a
 * one-line meaning and the fix a user can apply; `docs/errors.md` is generated from this table.
 * Codes are part of the output contract: never rename one, only add.
 */
export const ERROR_CATALOGUE = {
  KEY_INVALID: {
    meaning:
      'The object key is not `<prefix><batch-id>/<kind>*.csv` with a kind of customers, orders or items.',
    fix: 'Upload the file as `incoming/<batch-id>/customers.csv`, `orders.csv` or `items.csv`.',
  },
  FILE_TOO_LARGE: {
    meaning:
      'The object is larger than the configured maximum object size (TALLY_MAX_OBJECT_BYTES, 50 GiB by default); it is not read.',
    fix: 'Split the file into parts listed in a _manifest.json, or raise TALLY_MAX_OBJECT_BYTES.',
  },
  FILE_NOT_UTF8: {
    meaning:
      'The file contains bytes that are not valid UTF-8, or is not text at all (UTF-16, a workbook, a compressed file); the message says which.',
    fix: 'Save the file as "CSV UTF-8" (in Excel: Save As, CSV UTF-8 (Comma delimited)), with or without a BOM.',
  },
  FILE_EMPTY: {
    meaning: 'The file has no header line.',
    fix: 'Upload a file whose first line names the columns.',
  },
  FILE_MISSING_COLUMNS: {
    meaning:
      'The header lacks one or more required columns; the whole file is rejected. The message says when the names are there but separated by semicolons or tabs, or written in another case or with spaces around them.',
    fix: 'Add the named columns to the header line (order does not matter), in lower case and without spaces around them; export the file with commas between fields.',
  },
  FILE_DUPLICATE_COLUMNS: {
    meaning: 'The header names the same column more than once; the whole file is rejected.',
    fix: 'Remove or rename the repeated column.',
  },
  FILE_MALFORMED_CSV: {
    meaning:
      'The file is not valid CSV (for example a quote that is never closed, or lines that end in a lone CR).',
    fix: 'Quote fields as RFC 4180 says (wrap in double quotes, double any quote inside) and end lines with LF or CRLF.',
  },
  FILE_TIME_LIMIT: {
    meaning:
      'No longer sent: a file too long to read in one invocation is now read in segments, one invocation after another. Earlier versions rejected such a file with this code; codes are never removed, so it stays listed.',
    fix: 'Upload the file again: it is now read whatever its size, up to TALLY_MAX_OBJECT_BYTES.',
  },
  LINE_TOO_LONG: {
    meaning:
      'A line is longer than the configured maximum line length; the rest of the file is rejected.',
    fix: 'Check the file for a missing line break or an unclosed quote, or raise TALLY_MAX_LINE_BYTES.',
  },
  ROW_FIELD_COUNT: {
    meaning: 'The row has a different number of fields than the header.',
    fix: 'Give every row exactly one value per header column (quote values that contain commas).',
  },
  VALUE_REQUIRED: {
    meaning: 'A required value is empty.',
    fix: 'Fill in the named column on that line.',
  },
  VALUE_INVALID_INTEGER: {
    meaning: 'The value is not a whole number written with digits only.',
    fix: 'Write the quantity as digits, for example `3`.',
  },
  VALUE_OUT_OF_RANGE: {
    meaning: 'The value is a number outside the accepted range.',
    fix: 'Quantities start at 1; prices and timestamps must fit the documented limits.',
  },
  VALUE_INVALID_TIMESTAMP: {
    meaning: 'The timestamp is not unix seconds written with digits only.',
    fix: 'Write the time as seconds since 1970-01-01 UTC, for example `1700000000`.',
  },
  VALUE_INVALID_DECIMAL: {
    meaning: 'The price is not a non-negative decimal (digits with an optional fraction).',
    fix: 'Write prices like `12`, `0.5` or `19.99`, with a decimal point (not a decimal comma): no sign, exponent, currency or thousands separator.',
  },
  VALUE_TOO_LONG: {
    meaning:
      'The reference is longer than 1000 characters, so it could not fit the staged rows and output messages.',
    fix: 'Use a shorter reference: references are identifiers, not free text.',
  },
  DUPLICATE_REFERENCE: {
    meaning: 'An earlier row of the same file already used this reference; the first row wins.',
    fix: 'Remove the repeated row or give it its own reference.',
  },
  ORPHAN_ORDER: {
    meaning:
      "The order's customer is not among the batch's accepted customers; the order and its items are excluded.",
    fix: 'Add the customer to customers.csv, or correct the customer_reference of the order.',
  },
  ORPHAN_ITEM: {
    meaning: "The item's order is not among the batch's accepted orders; the item is excluded.",
    fix: 'Add the order to orders.csv, or correct the order_reference of the item.',
  },
  OBJECT_DELETED: {
    meaning:
      'The uploaded object (or the version the event named) was deleted before it could be read; nothing of it was staged.',
    fix: 'Upload the file again if it belongs to the batch.',
  },
  SECOND_FILE_OF_KIND: {
    meaning:
      'The batch has no `_manifest.json` and already has a file of this kind under another name; a batch without a manifest has one file per kind, so this file is not used.',
    fix: "To replace the file, upload it under the name of the kind's first file; to send a kind in parts, upload a `_manifest.json` that lists every part.",
  },
  BATCH_TOO_MANY_FILES: {
    meaning:
      'The batch already has the most object keys Tally keeps per batch (120); this new key is not read and not recorded. Keys already recorded may still be uploaded again.',
    fix: 'Send fewer, larger files (a kind may be split in up to 100 parts), or start a new batch id.',
  },
  MANIFEST_INVALID: {
    meaning:
      'The batch manifest `_manifest.json` is not valid JSON of the manifest schema (or lists names that are not files of the batch); the batch waits for a valid one.',
    fix: 'Upload a `_manifest.json` as the README describes: `{"files":[{"name":"customers.csv"},…]}` with at least one file of each kind.',
  },
  FILE_NOT_IN_MANIFEST: {
    meaning:
      "The file is not listed in the batch's `_manifest.json`, so it is not part of the batch.",
    fix: 'List the file in `_manifest.json` and upload the manifest again, or remove the file.',
  },
  FILE_DOES_NOT_MATCH_MANIFEST: {
    meaning:
      "The file's row count or SHA-256 differs from what `_manifest.json` says; the batch waits for a file that matches.",
    fix: 'Upload the complete file again (or correct the manifest and upload it again).',
  },
  STAGED_FILES_EXPIRED: {
    meaning:
      'Files this revision of the batch needs were staged so long ago that their rows expired (or are about to); the batch is not aggregated with them.',
    fix: 'Upload the files the message names again.',
  },
  TOO_MANY_REFERENTIAL_ERRORS: {
    meaning:
      'The file has more orphan or repeated references than the configured cap; one summary replaces the rest.',
    fix: 'Fix the references already reported (they usually share a cause, such as a missing or outdated file) and upload again.',
  },
  TOO_MANY_ROW_ERRORS: {
    meaning:
      'The file has more rejected rows than the configured cap; one summary replaces the rest.',
    fix: 'Fix the errors already reported (they usually share a cause) and upload the file again.',
  },
} as const satisfies Record<string, { meaning: string; fix: string }>;

/** A stable error code from {@link ERROR_CATALOGUE}. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;
