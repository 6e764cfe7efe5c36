import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The CLI's --json schema as it ships (schema/cli-output.schema.json), and a validator of the JSON
 * Schema keywords it uses, for the tests that check real outputs against it.
 */
export type Schema = Record<string, unknown>;

export const cliOutputSchema = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'schema', 'cli-output.schema.json'),
  'utf8')) as Schema;

/** The JSON Schema keywords the shipped schema uses (draft 2020-12 subset); returns the violations. */
export function validate(value: unknown, schema: Schema, where = '$'): string[] {
  const errors: string[] = [];
  const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  if (schema.type !== undefined) {
    const types = ([] as string[]).concat(schema.type as string | string[]);
    const ok = types.some((type) => type === typeOf(value) || (type === 'integer' && Number.isInteger(value)));
    if (!ok) errors.push(`${where}: ${JSON.stringify(value)} is not ${types.join('|')}`);
  }
  if (schema.enum !== undefined && !(schema.enum as unknown[]).includes(value)) errors.push(`${where}: ${JSON.stringify(value)} not in enum`);
  if ('const' in schema && schema.const !== value) errors.push(`${where}: ${JSON.stringify(value)} is not ${JSON.stringify(schema.const)}`);
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${where}: below ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${where}: above ${schema.maximum}`);
  }
  if (typeof value === 'string' && typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(value)) {
    errors.push(`${where}: "${value}" does not match ${schema.pattern}`);
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    for (const name of (schema.required as string[] | undefined) ?? []) if (!(name in object)) errors.push(`${where}: no ${name}`);
    for (const [name, sub] of Object.entries((schema.properties as Record<string, Schema> | undefined) ?? {})) {
      if (name in object) errors.push(...validate(object[name], sub, `${where}.${name}`));
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((item, i) => errors.push(...validate(item, schema.items as Schema, `${where}[${i}]`)));
  for (const sub of (schema.allOf as Schema[] | undefined) ?? []) {
    if (sub.if !== undefined) {
      const branch = validate(value, sub.if as Schema, where).length === 0 ? sub.then : sub.else;
      if (branch) errors.push(...validate(value, branch as Schema, where));
    } else {
      errors.push(...validate(value, sub, where));
    }
  }
  return errors;
}
