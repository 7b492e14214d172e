import type { AwsCall } from '@tally/local-stack';

/**
 * The IAM actions each AWS operation needs, by `<service>:<operation>` as the local stack's
 * request meters record it. Explicit, and only what the functions call: an operation missing
 * here fails the check instead of being guessed, so a new call gets a reviewed line.
 */
export const IAM_ACTIONS_BY_OPERATION: Readonly<Record<string, readonly string[]>> = {
  'dynamodb:BatchWriteItem': ['dynamodb:BatchWriteItem'],
  'dynamodb:GetItem': ['dynamodb:GetItem'],
  'dynamodb:PutItem': ['dynamodb:PutItem'],
  'dynamodb:Query': ['dynamodb:Query'],
  'dynamodb:UpdateItem': ['dynamodb:UpdateItem'],
  's3:GetObject': ['s3:GetObject'],
  // Reading a named version is another action than reading the current one.
  's3:GetObject+VersionId': ['s3:GetObjectVersion'],
  'sqs:SendMessage': ['sqs:SendMessage'],
  // SQS has no action for its batch calls: sqs:SendMessage allows SendMessageBatch.
  'sqs:SendMessageBatch': ['sqs:SendMessage'],
};

/**
 * The IAM actions one operation needs; throws for an operation the table does not know.
 *
 * @example
 * iamActionsOf({ service: 'sqs', operation: 'SendMessageBatch' }); // ['sqs:SendMessage']
 */
export const iamActionsOf = (call: Pick<AwsCall, 'service' | 'operation'>): readonly string[] => {
  const actions = IAM_ACTIONS_BY_OPERATION[`${call.service}:${call.operation}`];
  if (actions === undefined) {
    throw new Error(
      `no IAM action is known for ${call.service} ${call.operation}: add it to IAM_ACTIONS_BY_OPERATION in tools/infra/iamActionsOf.ts`,
    );
  }
  return actions;
};
