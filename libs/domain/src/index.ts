export { FILE_KINDS } from './batch/fileKind';
export type { FileKind } from './batch/fileKind';
export { ERROR_CATALOGUE } from './errors/errorCodes';
export type { ErrorCode } from './errors/errorCodes';
export type { RowError } from './errors/RowError';
export { MAX_REFERENCE_LENGTH, REFERENCE_COLUMNS, REQUIRED_COLUMNS } from './rows/rowTypes';
export type { CustomerRow, OrderRow, ItemRow, RowOfKind } from './rows/rowTypes';
export type {
  FieldError,
  RowValidation,
  RowValidator,
  RowValidators,
} from './validation/RowValidator';
export type {
  Amount,
  BatchReadyMessage,
  CustomerMessage,
  ErrorMessage,
  OutputMessage,
  StagedFile,
} from './messages/outputMessageTypes';
export type {
  StagedCustomer,
  StagedItem,
  StagedOrder,
  StagedRowOfKind,
} from './staging/stagedRowTypes';
export { TallyError } from './errors/TallyError';
export type { AggregationRequests } from './ports/AggregationRequests';
export type { MessageSink, OutboundMessage } from './ports/MessageSink';
export { ObjectUnavailableError } from './ports/ObjectSource';
export type { ObjectLocation, ObjectSource } from './ports/ObjectSource';
export type {
  BatchManifest,
  CommitOutcome,
  ManifestFile,
  StagedChunk,
  StagingStore,
} from './ports/StagingStore';
export { combinationOf } from './ingest/combinationOf';
export { compareSequencers } from './ingest/compareSequencers';
export { ingestFile } from './ingest/ingestFile';
export { TIME_RESERVE_MS } from './ingest/ingestFile';
export type {
  IngestDependencies,
  IngestOptions,
  IngestOutcome,
  IngestSettings,
} from './ingest/ingestFile';
export { aggregateBatch } from './aggregation/aggregateBatch';
export type { AggregateDependencies, AggregateOutcome } from './aggregation/aggregateBatch';
export { outboundMessageOf } from './messages/outboundMessageOf';
export { TallyUsageError } from './errors/TallyUsageError';
export { boundedValue, MAX_QUOTED_VALUE_LENGTH, quotedValue } from './errors/boundedValue';
export { batchKeyOf, parseBatchKey } from './batch/parseBatchKey';
export type { BatchKey, BatchKeyParse } from './batch/parseBatchKey';
export {
  formatAmount,
  MAX_PRICE_FRACTION_DIGITS,
  MAX_PRICE_INTEGER_DIGITS,
  parseAmount,
} from './money/amount';
export { CsvFileError } from './csv/CsvFileError';
export type { CsvFileErrorCode } from './csv/CsvFileError';
export { readCsvRecordBatches, readCsvRecords } from './csv/readCsvRecords';
export type { CsvRecord, ReadCsvRecordsOptions } from './csv/readCsvRecords';
export { validateFile, validateRecordBatches } from './rows/validateFile';
export type {
  FileValidationBatch,
  FileValidationEvent,
  FileValidationSummary,
  ValidateFileInput,
  ValidateRecordBatchesInput,
} from './rows/validateFile';
export {
  decodeStagedRows,
  DEFAULT_MAX_CHUNK_BYTES,
  encodeStagedRows,
  StagedChunkBuilder,
  StagedRowsCorruptError,
} from './staging/stagedRowCodec';
export type { StagedRowsChunk } from './staging/stagedRowCodec';
export { BatchAggregation } from './aggregation/BatchAggregation';
export type { BatchAggregationInput, BatchAggregationResult } from './aggregation/BatchAggregation';
export { errorMessageOf, messageIdOf, serializeOutputMessage } from './messages/outputMessages';
export { batchStatusOf } from './aggregation/batchStatusOf';
export type { BatchStatus } from './aggregation/batchStatusOf';
export { fileTooLargeError } from './ingest/fileTooLargeError';
