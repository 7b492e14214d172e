import type { AwsCall } from './awsCallsOf';
import type { LocalResources } from './createResources';
import { QUEUE_KEYS } from './pipelineSettings';
import type { PipelineSettings } from './pipelineSettings';

/**
 * Names the resource of a function's call by its role in pipeline.json, as the IAM policy
 * grants it, so that all uploads are one entry and the stack's `<name>` drops out:
 * - S3: `bucket:input` for the bucket, `bucket:input/incoming/*` for an object under the input
 *   prefix (another object keeps its key: `bucket:input/<key>`);
 * - SQS: `queue:<role>` (`queue:ingest`, `queue:aggregation`, `queue:output`), a DLQ
 *   `queue:<role>-dlq`;
 * - DynamoDB: `table:staging`, an index `table:staging/index/<index>`;
 * - a resource the stack did not create keeps its own name (`queue:<name>`), so a check names it.
 *
 * @example
 * const roleOf = resourceRoleOf(resources, settings);
 * roleOf({ service: 'sqs', operation: 'SendMessage', resource: 'tally-local-output' }); // 'queue:output'
 */
export const resourceRoleOf = (resources: LocalResources, settings: PipelineSettings) => {
  const queueRoles = new Map(
    QUEUE_KEYS.flatMap((key) => [
      [resources.queues[key].name, key],
      [resources.queues[key].dlq.name, `${key}-${settings.dlqSuffix}`],
    ]),
  );
  const bucket = `bucket:${settings.bucketSuffix}`;
  const table = `table:${settings.table.suffix}`;
  return (call: AwsCall): string => {
    switch (call.service) {
      case 's3': {
        const [name = '', ...keyParts] = call.resource.split('/');
        if (name !== resources.bucket.name) return `bucket:${call.resource}`;
        const key = keyParts.join('/');
        if (key === '') return bucket;
        return key.startsWith(settings.inputPrefix)
          ? `${bucket}/${settings.inputPrefix}*`
          : `${bucket}/${key}`;
      }
      case 'sqs':
        return `queue:${queueRoles.get(call.resource) ?? call.resource}`;
      case 'dynamodb': {
        const [name = '', ...index] = call.resource.split('/');
        const role = name === resources.table.name ? table : `table:${name}`;
        return [role, ...index].join('/');
      }
    }
  };
};
