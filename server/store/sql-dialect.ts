// The few places where the two stores' SQL differs, for the queries written once for both
// (reference-page.ts, erasure-selection.ts): placeholders, a list parameter, a field of an event's
// payload (the expression each store's indexes are built on), and row locks.

export interface SqlDialect {
  /** The n-th parameter, from 1 (in SQLite, parameters are taken in the order they appear). */
  param(n: number): string;
  /** `expr` is one of the list given as the n-th parameter (see list). */
  inList(expr: string, n: number): string;
  /** A list, as the parameter inList reads. */
  list(values: readonly string[]): unknown;
  /** A top-level field of an event's payload (JSON text), as text. */
  payloadField(name: string): string;
  /** Row locks for a read whose rows the transaction then rewrites: '' where a write transaction holds the whole database. */
  forUpdate: string;
}

export const SQLITE_DIALECT: SqlDialect = {
  param: () => '?',
  inList: (expr) => `${expr} IN (SELECT value FROM json_each(?))`,
  list: (values) => JSON.stringify(values),
  payloadField: (name) => `json_extract(payload, '$.${name}')`,
  forUpdate: '',
};

export const POSTGRES_DIALECT: SqlDialect = {
  param: (n) => `$${n}`,
  inList: (expr, n) => `${expr} = ANY($${n}::text[])`,
  list: (values) => values,
  payloadField: (name) => `((payload::jsonb) ->> '${name}')`,
  forUpdate: ' FOR UPDATE',
};
