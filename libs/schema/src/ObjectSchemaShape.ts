/** Required members of `T`: those whose type does not admit `undefined`. */
export type RequiredKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? never : K }[keyof T];

/**
 * What an object schema must say about `T`, for schemas that cannot use ajv's
 * `JSONSchemaType` (which forces `nullable: true`, accepting `null`, on optional members): a
 * property for each member of `T`, none else, and `required` listing only required members. A
 * schema `satisfies` it, so adding, removing or making required a member of `T` fails to
 * compile until the schema follows.
 *
 * @example
 * ```ts
 * export const errorMessageSchema = { ... } as const satisfies ObjectSchemaShape<ErrorMessage>;
 * ```
 */
export interface ObjectSchemaShape<T> {
  readonly [keyword: string]: unknown;
  readonly properties: { readonly [K in keyof T]-?: object };
  readonly required: readonly RequiredKeys<T>[];
}
