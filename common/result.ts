import type { Say } from './messages/errors/index.js';

// The one shape every station API call answers with, across IPC, the local host and the CLI.
// Errors carry a stable code (for programs), a sentence a clerk understands, and detail for engineers.

export type ErrorCode =
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'NOT_CONFIGURED'
  | 'CONFLICT'
  | 'REFUSED'
  /** The caller may not do this here (a kiosk asking for a desk method, a clerk for a supervisor's). */
  | 'FORBIDDEN'
  /** A clerk must sign in with their PIN first, at this window. */
  | 'SIGN_IN_REQUIRED'
  /** The clerk's session ended (inactivity, or their shift ended): sign in again. */
  | 'SESSION_EXPIRED'
  | 'PIN_INVALID'
  | 'PIN_LOCKED'
  | 'STORAGE_FULL'
  | 'STORAGE_READ_ONLY'
  | 'DATA_DIR_UNWRITABLE'
  | 'DATABASE_TOO_NEW'
  | 'DATABASE_CORRUPT'
  | 'REFERENCE_DATA_INVALID'
  /** The hub refused this station's credential (wrong, or the station was revoked). */
  | 'BAD_CREDENTIAL'
  /** The hub could not be reached (address, network, or the hub is down). */
  | 'HUB_UNREACHABLE'
  | 'INTERNAL';

export interface StationError {
  code: ErrorCode;
  /** The sentence in English: for the command line, logs and programs. Screens say `say` instead. */
  message: string;
  /** The sentence as a key of common/messages/errors and its values: each screen says it in its person's language. */
  say?: Say;
  detail?: string;
  /** The input field at fault (a path such as "payer.vatNumber"), for the form to show the error beside it. */
  field?: string;
  /** Every field at fault, each with its sentence: a form shows them all at once, beside their fields. */
  fields?: FieldProblem[];
}

export interface FieldProblem {
  /** The input path ("firstName", "payer.vatNumber", "lines[2].quantity"). */
  field: string;
  say: Say;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: StationError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string, detail?: string): Result<never> => ({
  ok: false,
  error: detail === undefined ? { code, message } : { code, message, detail },
});
