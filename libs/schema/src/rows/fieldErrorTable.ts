import type { ErrorCode } from '@tally/domain';
import type { ErrorObject } from 'ajv';
import type { FieldRule } from './fieldRule';
import { FIELD_RULE_KEYWORD } from './fieldRule';

/** What a failing schema location means for the row: which column, which error, how specific. */
export interface ColumnRule {
  readonly column: string;
  /** The column's position in the schema, so errors come out in column order. */
  readonly columnIndex: number;
  /** Lower is more specific: a missing value (0) beats the column's `allOf` rules (1, 2, ...). */
  readonly rank: number;
  readonly code: ErrorCode;
  readonly reason: string;
}

/** The parts of a row schema that the table reads. */
export interface RowSchemaShape {
  readonly properties: Readonly<Record<string, { readonly allOf?: readonly object[] }>>;
}

/**
 * Maps each schema location (ajv's `schemaPath`, or the missing column of a `required` error)
 * to a {@link ColumnRule}. Built once from the `x-tally-error` annotations of the schema, so the
 * codes are data in the schema and never guessed from ajv's messages.
 */
export class FieldErrorTable {
  private readonly rulesBySchemaPath = new Map<string, ColumnRule>();
  private readonly missingColumnRules = new Map<string, ColumnRule>();

  /**
   * @example
   * ```ts
   * const table = new FieldErrorTable(itemRowSchema);
   * ```
   */
  constructor(schema: RowSchemaShape) {
    Object.entries(schema.properties).forEach(([column, property], columnIndex) => {
      const missing = {
        column,
        columnIndex,
        rank: 0,
        code: 'VALUE_REQUIRED',
        reason: 'is required',
      } as const;
      this.missingColumnRules.set(column, missing);
      // A value that is not text is as good as missing (rows are column name -> cell text).
      this.rulesBySchemaPath.set(`#/properties/${column}/type`, missing);
      (property.allOf ?? []).forEach((branch, branchIndex) => {
        const rule = (branch as Record<string, unknown>)[FIELD_RULE_KEYWORD] as
          FieldRule | undefined;
        if (rule === undefined) {
          throw new Error(`${column} rule ${branchIndex} has no ${FIELD_RULE_KEYWORD} annotation`);
        }
        const columnRule = { column, columnIndex, rank: branchIndex + 1, ...rule };
        for (const keyword of Object.keys(branch)) {
          if (keyword === FIELD_RULE_KEYWORD) continue;
          this.rulesBySchemaPath.set(
            `#/properties/${column}/allOf/${branchIndex}/${keyword}`,
            columnRule,
          );
        }
      });
    });
  }

  /**
   * The rule that an ajv error breaks. Throws for a location the schema gives no code, which
   * only a row that is not an object of cell texts can reach: a caller's bug, not bad data.
   */
  ruleFor(error: ErrorObject): ColumnRule {
    const rule =
      error.keyword === 'required'
        ? this.missingColumnRules.get(String(error.params['missingProperty']))
        : this.rulesBySchemaPath.get(error.schemaPath);
    if (rule === undefined) {
      throw new TypeError(`row failed ${error.schemaPath}, which has no error code`);
    }
    return rule;
  }
}
