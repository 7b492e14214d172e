/**
 * Rows as read from the CSV files: every value is the text of the cell. The JSON Schemas in
 * `@tally/schema` describe exactly these shapes (their TypeScript types are checked against them).
 */
export interface CustomerRow {
  readonly customer_reference: string;
  readonly first_name: string;
  readonly last_name: string;
  readonly status: string;
}

export interface OrderRow {
  readonly order_reference: string;
  readonly customer_reference: string;
  readonly order_status: string;
  /** Unix seconds, digits only. */
  readonly order_timestamp: string;
}

export interface ItemRow {
  readonly order_reference: string;
  readonly item_name: string;
  /** Integer >= 1, digits only. */
  readonly quantity: string;
  /** Non-negative decimal: digits with an optional fraction. The line's total, not a unit price. */
  readonly total_price: string;
}

/** The row type of each file kind. */
export interface RowOfKind {
  readonly customers: CustomerRow;
  readonly orders: OrderRow;
  readonly items: ItemRow;
}

/** The columns each kind requires in its header (any order; extra columns are ignored). */
export const REQUIRED_COLUMNS = {
  customers: ['customer_reference', 'first_name', 'last_name', 'status'],
  orders: ['order_reference', 'customer_reference', 'order_status', 'order_timestamp'],
  items: ['order_reference', 'item_name', 'quantity', 'total_price'],
} as const satisfies { readonly [K in keyof RowOfKind]: readonly (keyof RowOfKind[K])[] };

/**
 * The longest reference (`customer_reference`, `order_reference`) Tally accepts, in UTF-16 code
 * units (JavaScript string length: an emoji counts 2). A line may be 1 MiB long, but a staged
 * chunk must fit a 400 KB DynamoDB item and a `customer_message` a 256 KB SQS message, and JSON
 * may write one code unit as six bytes (`\u0001`): at this bound every reference fits both.
 */
export const MAX_REFERENCE_LENGTH = 1_000;

/** The columns of each kind that hold references: staged, joined on, repeated in messages. */
export const REFERENCE_COLUMNS = {
  customers: ['customer_reference'],
  orders: ['order_reference', 'customer_reference'],
  items: ['order_reference'],
} as const satisfies { readonly [K in keyof RowOfKind]: readonly (keyof RowOfKind[K])[] };
