// The public face of the domain: what the Lambdas, the adapters and the tools use. Test
// support lives in `@tally/domain/testing`.
export { FILE_KINDS } from './batch/fileKind';
export type { FileKind } from './batch/fileKind';
export {
  batchKeyOf,
  MAX_BATCH_ID_LENGTH,
  MAX_FILE_NAME_LENGTH,
  parseBatchKey,
} from './batch/parseBatchKey';
export type { BatchKey, BatchKeyParse } from './batch/parseBatchKey';
export { ERROR_CATALOGUE } from './errors/errorCodes';
export type { ErrorCode } from './errors/errorCodes';
export type { RowError } from './errors/RowError';
export { TallyError } from './errors/TallyError';
export { TallyUsageError } from './errors/TallyUsageError';
export { boundedValue, MAX_QUOTED_VALUE_LENGTH, quotedValue } from './errors/boundedValue';
export { MAX_REFERENCE_LENGTH, REFERENCE_COLUMNS, REQUIRED_COLUMNS } from './rows/rowTypes';
export type { CustomerRow, ItemRow, OrderRow, RowOfKind } from './rows/rowTypes';
export type {
  FieldError,
  RowValidation,
  RowValidator,
  RowValidators,
} from './validation/RowValidator';
export type {
  BatchManifestDocument,
  BatchManifestValidator,
} from './validation/BatchManifestValidator';
export { AGGREGATION_PHASES } from './messages/outputMessageTypes';
export type {
  AggregationPhase,
  AggregationTask,
  Amount,
  BatchReadyMessage,
  BatchSummaryFile,
  BatchSummaryMessage,
  CustomerMessage,
  ErrorMessage,
  OutputMessage,
} from './messages/outputMessageTypes';
export { errorMessageOf, messageIdOf, serializeOutputMessage } from './messages/outputMessages';
export type { MessageOrigin } from './messages/outputMessages';
export { outboundMessageOf } from './messages/outboundMessageOf';
export type {
  StagedCustomer,
  StagedItem,
  StagedOrder,
  StagedRowOfKind,
} from './staging/stagedRowTypes';
export {
  decodeStagedRows,
  encodeStagedRows,
  StagedChunkBuilder,
  StagedRowsCorruptError,
} from './staging/stagedRowCodec';
export type { StagedRowsChunk } from './staging/stagedRowCodec';
export {
  formatAmount,
  MAX_PRICE_FRACTION_DIGITS,
  MAX_PRICE_INTEGER_DIGITS,
  parseAmount,
} from './money/amount';
export { CsvFileError } from './csv/CsvFileError';
export { readCsvRecordBatches, readCsvRecords } from './csv/readCsvRecords';
export type { CsvRecord } from './csv/readCsvRecords';
export { tooManyRowErrors, validateFile, validateRecordBatches } from './rows/validateFile';
export type {
  FileHeader,
  FileValidationEvent,
  FileValidationProgress,
  FileValidationSummary,
} from './rows/validateFile';

// Ports
export type { RecordStore, RecordValue, StoredRecord } from './ports/RecordStore';
export type { AggregationRequests } from './ports/AggregationRequests';
export type { IngestContinuationMessage, IngestContinuations } from './ports/IngestContinuations';
export type { BatchStateStore, StoredBatchState } from './ports/BatchStateStore';
export type { MessageSink, OutboundMessage } from './ports/MessageSink';
export { ObjectUnavailableError } from './ports/ObjectSource';
export type { ObjectLocation, ObjectSource, UnavailableReason } from './ports/ObjectSource';
export { StagedRowsMissingError } from './ports/StagingStore';
export type { StagedChunk, StagedUploadRef, StagingStore } from './ports/StagingStore';

// The batch lifecycle
export type {
  AggregatedRevision,
  AggregationLease,
  BatchFile,
  BatchPlan,
  BatchRevision,
  BatchState,
  PlannedFile,
  RevisionFile,
  StagedBatchFile,
} from './lifecycle/BatchState';
export { BATCH_RETENTION_MS, CLAIM_MARGIN_MS, EXPIRY_MARGIN_MS } from './lifecycle/batchRetention';
export {
  BATCH_MANIFEST_FILE,
  kindOfName,
  problemOfFile,
  selectFiles,
} from './lifecycle/selectFiles';
export type { FileSelection } from './lifecycle/selectFiles';
export {
  commitPlan,
  commitRejectedUpload,
  commitStagedUpload,
  MAX_KEYS_PER_BATCH,
} from './lifecycle/commitUpload';
export type { RejectedUpload, StagedUpload } from './lifecycle/commitUpload';
export { reviseBatch } from './lifecycle/withNextRevision';
export { finishAggregation, recordProgress, startAggregation } from './lifecycle/aggregationLease';
export type { ClaimOutcome, ProgressOutcome } from './lifecycle/aggregationLease';
export { describeBatch } from './lifecycle/describeBatch';
export type { BatchDescription, FileDescription } from './lifecycle/describeBatch';
export { BatchStateContentionError, updateBatchState } from './lifecycle/updateBatchState';
export { RecordContentionError, updateRecord } from './lifecycle/updateRecord';
export type { RecordTransition } from './lifecycle/updateRecord';

// Use cases
export { DEFAULT_SEGMENT_BYTES, ingestFile } from './ingest/ingestFile';
export type {
  IngestDependencies,
  IngestOptions,
  IngestOutcome,
  IngestSettings,
} from './ingest/ingestFile';
export { batchManifestIdOf } from './ingest/ingestBatchManifest';
export {
  batchPlanOf,
  MAX_BATCH_MANIFEST_BYTES,
  MAX_MANIFEST_FILE_NAME_LENGTH,
  MAX_MANIFEST_FILES,
} from './ingest/batchPlanOf';
export type { BatchPlanReading } from './ingest/batchPlanOf';
export { fileTooLargeError } from './ingest/fileTooLargeError';
export { tooManyFilesError } from './ingest/tooManyFilesError';
export { objectVersionOf } from './ingest/objectVersionOf';
export { aggregateBatch, MESSAGES_PER_GROUP } from './aggregation/aggregateBatch';
export type {
  AggregateDependencies,
  AggregateOptions,
  AggregateOutcome,
  AggregateSettings,
  AggregationRequest,
} from './aggregation/aggregateBatch';
export { BatchAggregation } from './aggregation/BatchAggregation';
export type { BatchAggregationResult } from './aggregation/BatchAggregation';
export {
  BUCKET_BYTES,
  bucketChunksOf,
  bucketCountOf,
  bucketsOfPartition,
  bucketsRecordName,
  MAX_BUCKETS,
  PARTITION_REFERENCE_OF,
} from './staging/stagedBuckets';
export type { StagedBuckets } from './staging/stagedBuckets';
export { referenceHash, slotOf } from './partitioning/referenceHash';
export { readRunProgress } from './aggregation/partitioned/runRecords';
export { ingestCheckpointName, readIngestCheckpoint } from './ingest/IngestCheckpoint';
export type { RunProgress } from './aggregation/partitioned/runRecords';
export { DEFAULT_ROWS_PER_PARTITION } from './aggregation/aggregateBatch';
