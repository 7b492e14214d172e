import type { OptionSpec } from '@tally/command-line';
import { DEFAULT_BATCH_SIZE } from './generateBatch';

/** The options that shape a generated batch, the same for `npm run generate` and `npm run bench`. */
export const BATCH_SHAPE_OPTIONS = {
  customers: {
    type: 'number',
    valueName: 'n',
    min: 1,
    default: DEFAULT_BATCH_SIZE.customers,
    description: 'customer rows',
  },
  orders: {
    type: 'number',
    valueName: 'n',
    min: 1,
    default: DEFAULT_BATCH_SIZE.orders,
    description: 'order rows',
  },
  items: {
    type: 'number',
    valueName: 'n',
    default: DEFAULT_BATCH_SIZE.items,
    description: 'item rows',
  },
  seed: { type: 'number', valueName: 'n', default: 1, description: 'the random seed' },
  'error-rate': {
    type: 'number',
    valueName: 'rate',
    fraction: true,
    max: 1,
    default: 0,
    description: 'the share of rows made invalid, 0 to 1',
  },
} as const satisfies Readonly<Record<string, OptionSpec>>;
