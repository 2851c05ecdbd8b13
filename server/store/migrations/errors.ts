// Why a hub database was not opened; the message says what an operator does about it.
export type HubSchemaErrorCode = 'DATABASE_TOO_NEW' | 'DATABASE_UNRECOGNISED' | 'MIGRATIONS_MISNUMBERED';

export class HubSchemaError extends Error {
  override readonly name = 'HubSchemaError';
  constructor(
    readonly code: HubSchemaErrorCode,
    message: string,
  ) {
    super(message);
  }
}
