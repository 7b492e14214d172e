export { startLocalStack, LOCAL_STACK_NAME } from './localStack';
export type { LocalStack, LocalStackFaults, LocalStackOptions } from './localStack';
export type { FunctionMetrics } from './functionMetrics';
export type { ProcessMemory } from './lambdaHost';
export type { ObservedInvocation } from './observingInvocations';
export { functionConcurrency } from './functionConcurrency';
export type { ConcurrencySetting } from './functionConcurrency';
export type { OutputMessage } from './drainQueue';
export type { LocalUploadFile } from './uploadBatchFiles';
export type { EmulatorEndpoints } from './emulators.mjs' with { 'resolution-mode': 'import' };
export { createLocalResources } from './createResources';
export type { LocalQueue, LocalQueueWithDlq, LocalResources } from './createResources';
export {
  createLocalAwsClients,
  destroyLocalAwsClients,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
} from './localAwsClients';
export type { LocalAwsClients } from './localAwsClients';
export { ensureLambdaBundles } from './lambdaBundles';
export { lambdaEnvironment } from './lambdaEnvironment';
export { FUNCTION_KEYS, pipelineSettings, QUEUE_KEYS } from './pipelineSettings';
export type { FunctionKey, PipelineSettings, QueueKey } from './pipelineSettings';
export { startAwsRequestMeter } from './awsRequestMeter';
export type { AwsRequestMeter, AwsUsage, MeteredRequest, RequestFault } from './awsRequestMeter';
export type { AwsCall, AwsService } from './awsCallsOf';
export type { ObservedOperation } from './meteredEndpoints';
export { encodeS3EventKey } from './s3NotificationMessage';
