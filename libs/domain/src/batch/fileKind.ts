/** The three kinds of file that make up a batch, in the order aggregation reads them. */
export const FILE_KINDS = ['customers', 'orders', 'items'] as const;

/** One of {@link FILE_KINDS}. */
export type FileKind = (typeof FILE_KINDS)[number];
