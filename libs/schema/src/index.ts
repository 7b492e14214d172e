export { createRowValidators } from './rows/createRowValidators';
export { customerRowSchema } from './rows/customerRowSchema';
export { MAX_ORDER_TIMESTAMP, orderRowSchema } from './rows/orderRowSchema';
export { MAX_ITEM_QUANTITY, itemRowSchema } from './rows/itemRowSchema';
export { FIELD_RULE_KEYWORD } from './rows/fieldRule';
export type { FieldRule } from './rows/fieldRule';
export { customerMessageSchema } from './messages/customerMessageSchema';
export type { CustomerMessageJson } from './messages/customerMessageSchema';
export { errorMessageSchema } from './messages/errorMessageSchema';
export { batchReadyMessageSchema } from './messages/batchReadyMessageSchema';
export { batchSummaryMessageSchema } from './messages/batchSummaryMessageSchema';
export type { MessageValidation, MessageValidationError } from './messages/MessageValidation';
export { validateCustomerMessage } from './messages/validateCustomerMessage';
export { validateErrorMessage } from './messages/validateErrorMessage';
export { validateBatchSummaryMessage } from './messages/validateBatchSummaryMessage';
export { validateOutputMessage } from './messages/validateOutputMessage';
export type { OutputMessageJson } from './messages/validateOutputMessage';
export { parseBatchReadyMessage } from './messages/parseBatchReadyMessage';
export { ingestContinuationMessageSchema } from './messages/ingestContinuationMessageSchema';
export { validateIngestContinuationMessage } from './messages/validateIngestContinuationMessage';
export {
  batchManifestSchema,
  MAX_BATCH_MANIFEST_FILES,
  MAX_BATCH_MANIFEST_NAME_LENGTH,
} from './manifest/batchManifestSchema';
export type { BatchManifestJson } from './manifest/batchManifestSchema';
export { createBatchManifestValidator } from './manifest/createBatchManifestValidator';
