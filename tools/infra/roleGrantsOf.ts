import { FUNCTION_KEYS } from '@tally/local-stack';
import type { FunctionKey, ObservedOperation } from '@tally/local-stack';
import { DOCUMENTED_GRANTS, GRANT_CONDITIONS } from './documentedGrants';
import type { DocumentedGrant, GrantCondition } from './documentedGrants';
import { iamActionsOf } from './iamActionsOf';

/**
 * What each role must allow, by function and by the condition under which the pipeline module
 * grants it, as sorted `<action> on <resource role>` lines (`sqs:SendMessage on queue:output`).
 */
export type RoleGrants = Record<FunctionKey, Record<GrantCondition, string[]>>;

const grantLine = (action: string, resource: string) => `${action} on ${resource}`;

const sortedUnique = (lines: Iterable<string>): string[] =>
  [...new Set(lines)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

const documentedLines = (
  grants: readonly DocumentedGrant[],
  functionKey: FunctionKey,
  when: GrantCondition,
): string[] =>
  grants
    .filter((grant) => grant.when === when && grant.functions.includes(functionKey))
    .flatMap((grant) =>
      grant.actions.map((action) => grantLine(action, grant.resource(functionKey))),
    );

/**
 * Each role's grants: the IAM actions of the operations its function was seen calling, on the
 * resources it called them on, plus the documented grants. Throws for an operation with no
 * known IAM action.
 *
 * @example
 * roleGrantsOf([{ function: 'ingest', service: 'sqs', operation: 'SendMessageBatch', resource: 'queue:output' }]).ingest.always;
 * // ['logs:CreateLogStream on log-group:own', ..., 'sqs:SendMessage on queue:output']
 */
export const roleGrantsOf = (
  operations: readonly ObservedOperation[],
  grants: readonly DocumentedGrant[] = DOCUMENTED_GRANTS,
): RoleGrants =>
  Object.fromEntries(
    FUNCTION_KEYS.map((functionKey) => {
      const observed = operations
        .filter((operation) => operation.function === functionKey)
        .flatMap((operation) =>
          iamActionsOf(operation).map((action) => grantLine(action, operation.resource)),
        );
      const byCondition = Object.fromEntries(
        GRANT_CONDITIONS.map((when) => [
          when,
          sortedUnique([
            ...(when === 'always' ? observed : []),
            ...documentedLines(grants, functionKey, when),
          ]),
        ]),
      ) as Record<GrantCondition, string[]>;
      return [functionKey, byCondition];
    }),
  ) as RoleGrants;

/**
 * Documented grants the runs now observe: their reason no longer holds, so each should leave
 * DOCUMENTED_GRANTS (the observed operation keeps the grant).
 */
export const observedDocumentedGrants = (
  operations: readonly ObservedOperation[],
  grants: readonly DocumentedGrant[] = DOCUMENTED_GRANTS,
): string[] => {
  const observed = roleGrantsOf(operations, []);
  return FUNCTION_KEYS.flatMap((functionKey) =>
    documentedLines(grants, functionKey, 'always')
      .filter((line) => observed[functionKey].always.includes(line))
      .map((line) => `${functionKey}: ${line}`),
  );
};
