/**
 * What the layers that carry EAP need to know of a method without naming one: whether a
 * conversation of its type holds a TLS session. Read from the one method table; the EAP types of
 * Windows' own PEAP, EAP-TLS and EAP-TTLS are the same numbers.
 */
import { METHOD_TABLE } from './method-table';

const TLS_TYPES: ReadonlySet<number> = new Set(METHOD_TABLE.filter((method) => method.tls).map((method) => method.type));

/** EAP-TLS, EAP-TTLS, PEAP: the methods whose packets carry TLS records behind a flags octet. */
export function isTlsMethodType(type: number | undefined): boolean {
  return type !== undefined && TLS_TYPES.has(type);
}

/** The type of the method the table names so (lower case), or undefined. */
export function methodTypeOfName(name: string): number | undefined {
  return METHOD_TABLE.find((method) => method.name === name)?.type;
}

/** The table's name of a method type, or undefined. */
export function methodNameOfType(type: number): string | undefined {
  return METHOD_TABLE.find((method) => method.type === type)?.name;
}
