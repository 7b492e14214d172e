import type { CustomerRow, FileKind, ItemRow } from '@tally/domain';
import { ERROR_CATALOGUE, REQUIRED_COLUMNS } from '@tally/domain';
import Ajv from 'ajv';
import type { JSONSchemaType } from 'ajv';
import { customerRowSchema } from './customerRowSchema';
import { FieldErrorTable } from './fieldErrorTable';
import { FIELD_RULE_KEYWORD, fieldRuleKeywordDefinition } from './fieldRule';
import { itemRowSchema } from './itemRowSchema';
import { orderRowSchema } from './orderRowSchema';

const ROW_SCHEMAS = { customers: customerRowSchema, orders: orderRowSchema, items: itemRowSchema };
const KINDS = Object.keys(ROW_SCHEMAS) as FileKind[];

describe('row schemas', () => {
  it.each(KINDS)('%s: describes exactly the required columns, all as text', (kind) => {
    const schema = ROW_SCHEMAS[kind];
    expect(Object.keys(schema.properties)).toEqual(REQUIRED_COLUMNS[kind]);
    expect(schema.required).toEqual(REQUIRED_COLUMNS[kind]);
    expect(Object.values(schema.properties).map((property) => property.type)).toEqual(
      REQUIRED_COLUMNS[kind].map(() => 'string'),
    );
  });

  it.each(KINDS)('%s: allows extra columns and names a versioned $id', (kind) => {
    const schema: { additionalProperties?: boolean; $id: string } = ROW_SCHEMAS[kind];
    expect(schema.additionalProperties).toBeUndefined();
    expect(schema.$id).toMatch(/^https:\/\/schemas\.tally\.dev\/[a-z-]+-row\/v1\.json$/);
  });

  it.each(KINDS)('%s: is a valid draft-07 schema', (kind) => {
    const ajv = new Ajv({ strict: true });
    ajv.addKeyword(fieldRuleKeywordDefinition);
    expect([ajv.validateSchema(ROW_SCHEMAS[kind]), ajv.errors]).toEqual([true, null]);
  });

  it.each(KINDS)('%s: gives every rule a code of the catalogue and a reason', (kind) => {
    for (const property of Object.values(ROW_SCHEMAS[kind].properties)) {
      for (const rule of 'allOf' in property ? property.allOf : []) {
        expect(Object.keys(ERROR_CATALOGUE)).toContain(rule[FIELD_RULE_KEYWORD].code);
        expect(rule[FIELD_RULE_KEYWORD].reason).not.toBe('');
      }
    }
  });

  it('does not compile a schema that drifts from its row type', () => {
    // @ts-expect-error last_name and status of CustomerRow are missing
    const missingColumns: JSONSchemaType<CustomerRow> = {
      type: 'object',
      properties: { customer_reference: { type: 'string' }, first_name: { type: 'string' } },
      required: [],
    };
    // @ts-expect-error quantity is cell text in ItemRow, not a number
    const retypedColumn: JSONSchemaType<ItemRow> = {
      type: 'object',
      properties: {
        order_reference: { type: 'string' },
        item_name: { type: 'string' },
        quantity: { type: 'integer' },
        total_price: { type: 'string' },
      },
      required: [],
    };
    expect([missingColumns, retypedColumn]).toHaveLength(2);
  });

  it('refuses a rule annotation with a code outside the catalogue', () => {
    const ajv = new Ajv();
    ajv.addKeyword(fieldRuleKeywordDefinition);
    expect(() =>
      ajv.compile({ type: 'string', [FIELD_RULE_KEYWORD]: { code: 'NOT_A_CODE', reason: 'x' } }),
    ).toThrow(/x-tally-error/);
  });

  it('refuses a rule without an annotation when building the error table', () => {
    expect(
      () => new FieldErrorTable({ properties: { quantity: { allOf: [{ pattern: '^1$' }] } } }),
    ).toThrow('quantity rule 0 has no x-tally-error annotation');
  });
});
