export { FILE_KINDS } from './batch/fileKind';
export type { FileKind } from './batch/fileKind';
export { ERROR_CATALOGUE } from './errors/errorCodes';
export type { ErrorCode } from './errors/errorCodes';
export type { RowError } from './errors/RowError';
export { REQUIRED_COLUMNS } from './rows/rowTypes';
export type { CustomerRow, OrderRow, ItemRow, RowOfKind } from './rows/rowTypes';
export type { FieldError, RowValidation, RowValidator, RowValidators } from './validation/RowValidator';
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
