import type { ErrorCode } from '@tally/domain';
import { ERROR_CATALOGUE } from '@tally/domain';
import type { KeywordDefinition } from 'ajv';

/**
 * The schema keyword that tells which {@link ErrorCode} and reason a failing sub-schema yields.
 * An annotation: it validates nothing itself, so other JSON Schema tools may ignore it.
 */
export const FIELD_RULE_KEYWORD = 'x-tally-error';

/** The error code and reason that one rule of a column yields when its value breaks it. */
export interface FieldRule {
  readonly code: ErrorCode;
  readonly reason: string;
}

/** One rule of a column as a sub-schema: a `pattern` annotated with its {@link FieldRule}. */
export interface PatternRuleSchema {
  readonly pattern: string;
  readonly [FIELD_RULE_KEYWORD]: FieldRule;
}

/**
 * A column rule: the value must match `pattern`, else it yields `code` and `reason`.
 *
 * @example
 * ```ts
 * const digitsOnly = patternRule('^[0-9]+$', 'VALUE_INVALID_TIMESTAMP', 'must be unix seconds (digits only)');
 * ```
 */
export function patternRule(pattern: string, code: ErrorCode, reason: string): PatternRuleSchema {
  return { pattern, [FIELD_RULE_KEYWORD]: { code, reason } };
}

/**
 * The first rule of every required column: at least one character that is not white space.
 * Values are never trimmed, so `' A1 '` passes and `'  '` does not.
 */
export const REQUIRED_VALUE_RULE = patternRule('\\S', 'VALUE_REQUIRED', 'is required');

/** Registers {@link FIELD_RULE_KEYWORD} with ajv, which then checks each annotation's shape. */
export const fieldRuleKeywordDefinition: KeywordDefinition = {
  keyword: FIELD_RULE_KEYWORD,
  schemaType: 'object',
  metaSchema: {
    type: 'object',
    properties: {
      code: { enum: Object.keys(ERROR_CATALOGUE) },
      reason: { type: 'string', minLength: 1 },
    },
    required: ['code', 'reason'],
    additionalProperties: false,
  },
};
