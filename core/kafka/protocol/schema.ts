/**
 * A compact notation for Kafka's message schemas: each request and response is a list of
 * fields with a type, the versions that carry it, the versions where it may be null, and, in
 * flexible versions, an optional tag. One generic codec (codec.ts) reads and writes every
 * version from these definitions, so version differences live in data, not in code.
 */

/** Primitive wire types, named as in Kafka's message definitions. */
export type PrimitiveType = 'int8' | 'int16' | 'uint16' | 'int32' | 'int64' | 'float64' | 'bool' | 'string' | 'bytes' | 'records' | 'uuid';

/** A field's type: a primitive, an array of a type, or a nested struct. */
export type FieldType = PrimitiveType | { array: FieldType } | { struct: Field[] };

/** Inclusive version range; a missing upper bound means "and every later version". */
export type VersionRange = readonly [number, number?];

/** One field of a message or struct. */
export interface Field {
  name: string;
  type: FieldType;
  /** Versions that carry the field (default: all). */
  versions?: VersionRange;
  /** Versions in which the value may be null. */
  nullable?: VersionRange;
  /** In flexible versions, a tagged (optional) field with this tag. */
  tag?: number;
  /** Value when absent from a version (Kafka's "default"). */
  default?: number | string | boolean | null;
  /** Whether a non-default value may be dropped silently in versions without the field. */
  ignorable?: boolean;
}

/** A whole request or response body. */
export interface MessageSchema {
  apiKey: number;
  /** Versions Brokerscope reads and writes. */
  versions: readonly [number, number];
  /** First flexible version (compact encodings and tagged fields), or null. */
  flexibleFrom: number | null;
  fields: Field[];
}

/** Declares a message. */
export function message(apiKey: number, versions: readonly [number, number], flexibleFrom: number | null, fields: Field[]): MessageSchema {
  return { apiKey, versions, flexibleFrom, fields };
}

/** Declares a field. */
export function field(name: string, type: FieldType, options: Omit<Field, 'name' | 'type'> = {}): Field {
  return { name, type, ...options };
}

/** An array of `type`. */
export function array(type: FieldType): FieldType {
  return { array: type };
}

/** A nested struct. */
export function struct(fields: Field[]): FieldType {
  return { struct: fields };
}

/** Whether `version` falls within `range`. */
export function inRange(range: VersionRange | undefined, version: number): boolean {
  if (!range) return true;
  return version >= range[0] && (range[1] === undefined || version <= range[1]);
}
