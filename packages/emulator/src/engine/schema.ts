/**
 * A small schema checker that reproduces what HKube's api-server gets from ajv 6 (`coerceTypes: true`,
 * `nullable: true`, first error only) for the descriptor fields the spec lists: the same messages
 * (`data.nodes[0] should have required property 'nodeName'`, `data.priority should be <= 5`, …), the
 * same type coercions, and HKube's custom `pipeline-name` / `algorithm-name` format messages.
 */

/** A schema for one value. */
export type Schema =
  | { readonly type: 'string'; readonly minLength?: number; readonly format?: Format; readonly enum?: readonly string[]; readonly nullable?: boolean }
  | { readonly type: 'integer' | 'number'; readonly minimum?: number; readonly maximum?: number; readonly nullable?: boolean }
  | { readonly type: 'boolean'; readonly nullable?: boolean }
  | { readonly type: 'array'; readonly items?: Schema; readonly nullable?: boolean }
  | {
      readonly type: 'object';
      readonly properties?: Readonly<Record<string, Schema>>;
      readonly required?: readonly string[];
      readonly additionalProperties?: false;
      readonly nullable?: boolean;
    }
  | { readonly type: 'any' };

type Format = 'pipeline-name' | 'algorithm-name' | 'url';

const FORMATS: Readonly<Record<Format, { readonly pattern: RegExp; readonly message?: string }>> = {
  'pipeline-name': { pattern: /^[:\-_.A-Za-z0-9]+$/, message: 'pipeline name must contain only alphanumeric, dash, dot or underscore' },
  'algorithm-name': { pattern: /^[a-z0-9][-a-z0-9.]*[a-z0-9]$/, message: 'algorithm name must contain only lower-case alphanumeric, dash or dot' },
  url: { pattern: /^(f|ht)tps?:\/\//i },
};

type Holder = Record<string | number, unknown>;

function propertyPath(parent: string, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${parent}.${key}` : `${parent}['${key}']`;
}

const NOT_COERCIBLE = Symbol('not coercible');

/** ajv 6 `coerceTypes: true` rules, for the scalar types. */
function coerce(value: unknown, type: 'string' | 'integer' | 'number' | 'boolean'): unknown {
  switch (type) {
    case 'string':
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return value === null ? '' : NOT_COERCIBLE;
    case 'number':
    case 'integer': {
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (value === null) return 0;
      if (typeof value === 'string' && value !== '' && Number.isFinite(Number(value))) {
        const number = Number(value);
        return type === 'integer' && !Number.isInteger(number) ? NOT_COERCIBLE : number;
      }
      return NOT_COERCIBLE;
    }
    case 'boolean':
      if (value === 'true' || value === 1) return true;
      if (value === 'false' || value === 0 || value === null) return false;
      return NOT_COERCIBLE;
  }
}

function hasType(value: unknown, type: Exclude<Schema['type'], 'any'>): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

/**
 * Checks `holder[key]` against `schema`, coercing it in place as ajv does. Returns the first error
 * message, or `undefined`.
 */
function check(holder: Holder, key: string | number, schema: Schema, path: string): string | undefined {
  if (schema.type === 'any') return undefined;
  let value = holder[key];
  if (value === null && schema.nullable === true) return undefined;
  if (!hasType(value, schema.type)) {
    const coerced = schema.type === 'array' || schema.type === 'object' ? NOT_COERCIBLE : coerce(value, schema.type);
    if (coerced === NOT_COERCIBLE) return `${path} should be ${schema.type}`;
    holder[key] = coerced;
    value = coerced;
  }
  switch (schema.type) {
    case 'string': {
      const text = value as string;
      if (schema.minLength !== undefined && text.length < schema.minLength) return `${path} should NOT be shorter than ${schema.minLength} characters`;
      if (schema.format !== undefined) {
        const format = FORMATS[schema.format];
        if (!format.pattern.test(text)) return format.message ?? `${path} should match format "${schema.format}"`;
      }
      if (schema.enum !== undefined && !schema.enum.includes(text)) {
        return `${path} should be equal to one of the allowed values (${schema.enum.join(',')})`;
      }
      return undefined;
    }
    case 'integer':
    case 'number': {
      const number = value as number;
      if (schema.maximum !== undefined && number > schema.maximum) return `${path} should be <= ${schema.maximum}`;
      if (schema.minimum !== undefined && number < schema.minimum) return `${path} should be >= ${schema.minimum}`;
      return undefined;
    }
    case 'boolean':
      return undefined;
    case 'array': {
      if (schema.items === undefined) return undefined;
      const array = value as unknown[];
      for (let index = 0; index < array.length; index += 1) {
        const error = check(array as unknown as Holder, index, schema.items, `${path}[${index}]`);
        if (error !== undefined) return error;
      }
      return undefined;
    }
    case 'object':
      return checkObject(value as Holder, schema, path);
  }
}

function checkObject(object: Holder, schema: Extract<Schema, { type: 'object' }>, path: string): string | undefined {
  for (const name of schema.required ?? []) {
    if (object[name] === undefined) return `${path} should have required property '${name}'`;
  }
  const properties = schema.properties ?? {};
  if (schema.additionalProperties === false) {
    const extra = Object.keys(object).find((name) => !Object.prototype.hasOwnProperty.call(properties, name));
    // HKube appends the offending property: `data should NOT have additional properties (stam)`.
    if (extra !== undefined) return `${path} should NOT have additional properties (${extra})`;
  }
  for (const [name, property] of Object.entries(properties)) {
    if (object[name] === undefined) continue;
    const error = check(object, name, property, propertyPath(path, name));
    if (error !== undefined) return error;
  }
  return undefined;
}

/**
 * Validates `value` against `schema` the way ajv 6 would (first error only), coercing scalars in place.
 * `root` names the value in messages (`data` as in HKube).
 *
 * @returns the error message, or `undefined` when the value is valid.
 */
export function checkSchema(value: unknown, schema: Schema, root = 'data'): string | undefined {
  const holder: Holder = { value };
  return check(holder, 'value', schema, root);
}
