import { FILE_KINDS } from '../batch/fileKind';
import type { FileKind } from '../batch/fileKind';
import type { StagedFile } from '../messages/outputMessageTypes';

/**
 * Names one set of file versions (one of each kind) of a batch. "Batch ready" is claimed and
 * aggregation is recorded per combination, so a new upload of any kind makes a new one.
 *
 * @example
 * combinationOf({ customers: c, orders: o, items: i }); // 'v1|v7|v3'
 */
export const combinationOf = (files: { readonly [K in FileKind]: StagedFile }): string =>
  FILE_KINDS.map((kind) => files[kind].version).join('|');
