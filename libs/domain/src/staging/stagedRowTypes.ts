import type { Amount } from '../messages/outputMessageTypes';

/**
 * What ingest keeps of each accepted row: only what aggregation and its error messages need.
 * `line` is the row's line in its file, so a referential error can still name it.
 */
export interface StagedCustomer {
  readonly line: number;
  readonly customerReference: string;
}

export interface StagedOrder {
  readonly line: number;
  readonly orderReference: string;
  readonly customerReference: string;
}

export interface StagedItem {
  readonly line: number;
  readonly orderReference: string;
  readonly amount: Amount;
}

/** The staged row type of each file kind. */
export interface StagedRowOfKind {
  readonly customers: StagedCustomer;
  readonly orders: StagedOrder;
  readonly items: StagedItem;
}
